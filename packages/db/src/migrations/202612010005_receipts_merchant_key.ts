// The receipt's key to its merchant (issue 9, performance: Postgres cost per inbound message). Every receipt insert
// checked `receipts_merchant_id_fkey` with `select … from merchants for key share`: one nested statement per inbound
// message, and a share lock on the one row every concurrent step of the merchant locks, which Postgres turns into a
// MultiXact as soon as two transactions hold it (202611300930 dropped the other write-path keys to shared rows; this
// was the last one on the inbound path). Receipts name no other row that could imply the merchant, so the key's
// other half — a merchant's deletion takes its receipts — is kept by a statement trigger on `merchants` instead;
// a receipt is only ever written for a merchant whose channel the same transaction has just read.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'alter table receipts drop constraint receipts_merchant_id_fkey',
    `create function receipts_merchants_deleted() returns trigger language plpgsql as $$
      begin
        delete from receipts r using old_rows o where r.merchant_id = o.id;
        return null;
      end $$`,
    `create trigger receipts_merchants_deleted after delete on merchants
      referencing old table as old_rows for each statement execute function receipts_merchants_deleted()`,
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop trigger receipts_merchants_deleted on merchants',
    'drop function receipts_merchants_deleted()',
    'delete from receipts r where not exists (select 1 from merchants m where m.id = r.merchant_id)',
    `alter table receipts add constraint receipts_merchant_id_fkey
      foreign key (merchant_id) references merchants (id) on delete cascade`,
  ])
    await sql.raw(statement).execute(db)
}
