// A Kysely plugin for tests that records the table of every `insert into` built with the query builder, the statement
// itself or one of its CTEs (the inbound batch's receipts claim): the batch paths write with one raw statement, so a
// count of 0 for a table shows its rows went through the batch.
import type { KyselyPlugin, RootOperationNode } from 'kysely'

interface StatementNode {
  kind: string
  into?: { table?: { identifier?: { name?: string } } }
}

export class InsertRecorder implements KyselyPlugin {
  readonly inserts: string[] = []
  transformQuery(args: { node: RootOperationNode }): RootOperationNode {
    const root = args.node as StatementNode & { with?: { expressions: { expression: StatementNode }[] } }
    for (const node of [root, ...(root.with?.expressions ?? []).map((cte) => cte.expression)])
      if (node.kind === 'InsertQueryNode') this.inserts.push(node.into?.table?.identifier?.name ?? '?')
    return args.node
  }
  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result
  }
  count(table: string): number {
    return this.inserts.filter((t) => t === table).length
  }
  reset(): void {
    this.inserts.length = 0
  }
}
