// Every kind's inspector renders with the kind's defaults, and an edit produces a config its schema accepts.
import { getNodeKind, type NodeKindId, nodeKinds } from '@parley/flow'
import { fireEvent, render, screen } from '@testing-library/react'
import { type ReactNode, useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { nodeUis } from './registry.ts'

function renderInspector(kind: NodeKindId, config?: unknown) {
  const spec = getNodeKind(kind)!
  const onChange = vi.fn()
  const { Inspector } = nodeUis[kind] as unknown as {
    Inspector: (p: { nodeId: string; config: unknown; onChange: (c: unknown) => void }) => ReactNode
  }
  const start = config ?? structuredClone(spec.defaults)
  const view = render(<Inspector nodeId="n1" config={start} onChange={onChange} />)
  const last = () => onChange.mock.calls.at(-1)?.[0]
  return { onChange, last, spec, view }
}

describe.each(Object.keys(nodeKinds) as NodeKindId[])('%s inspector', (kind) => {
  it('renders with the defaults and an edit yields a valid config', () => {
    const { onChange, last, spec, view } = renderInspector(kind)
    const field = view.container.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
      'input:not([type=checkbox]), textarea, select, input[type=checkbox]',
    )
    if (!field) {
      // Triggers without settings only explain themselves.
      expect(view.container.textContent).toMatch(/When/)
      return
    }
    if (field instanceof HTMLSelectElement) {
      const other = [...field.options].find((o) => o.value !== field.value)!
      fireEvent.change(field, { target: { value: other.value } })
    } else if (field.type === 'checkbox') {
      fireEvent.click(field)
    } else if (field.type === 'number') {
      fireEvent.change(field, { target: { value: '3' } })
    } else {
      fireEvent.change(field, { target: { value: 'order_no' } })
    }
    expect(onChange).toHaveBeenCalled()
    expect(spec.configSchema.safeParse(last()).success).toBe(true)
  })
})

type LooseInspector = (p: { nodeId: string; config: unknown; onChange: (c: unknown) => void }) => ReactNode

/** Holds the config in state, as the store would, and reports every change. */
function Host({ kind, report }: { kind: NodeKindId; report(config: unknown): void }) {
  const [config, setConfig] = useState<unknown>(() => structuredClone(getNodeKind(kind)!.defaults))
  const Inspector = (nodeUis[kind] as unknown as { Inspector: LooseInspector }).Inspector
  return (
    <Inspector
      nodeId="n1"
      config={config}
      onChange={(next) => {
        report(next)
        setConfig(next)
      }}
    />
  )
}

function renderControlled(kind: NodeKindId) {
  const spec = getNodeKind(kind)!
  let current: unknown = structuredClone(spec.defaults)
  render(<Host kind={kind} report={(c) => (current = c)} />)
  return {
    config: () => current as never,
    valid: () => spec.configSchema.safeParse(current).success,
  }
}

/** What typing does to a chip field: its text changes, then an input event. */
function typeInto(box: HTMLElement, text: string) {
  box.textContent = text
  fireEvent.input(box)
}

describe('specific inspectors', () => {
  it('send message: edits the text, adds, renames and removes quick-reply buttons, and previews them', () => {
    const form = renderControlled('send-message')
    typeInto(screen.getByRole('textbox', { name: 'Message' }), 'Hi {{contact.first_name}}')
    expect(screen.getByText('Hi Maya')).toBeTruthy()
    fireEvent.click(screen.getByText('+ Add button'))
    fireEvent.click(screen.getByText('+ Add button'))
    expect(form.config()).toMatchObject({
      buttons: [
        { id: 'btn1', title: 'Option 1' },
        { id: 'btn2', title: 'Option 2' },
      ],
    })
    fireEvent.change(screen.getByLabelText('Button 1 title'), { target: { value: 'Yes please' } })
    fireEvent.click(screen.getByLabelText('Remove button 2'))
    expect(form.config()).toMatchObject({
      text: 'Hi {{contact.first_name}}',
      buttons: [{ id: 'btn1', title: 'Yes please' }],
    })
    expect(screen.getAllByText('Yes please').length).toBeGreaterThan(0)
    expect(screen.queryByText('+ Add button')).toBeTruthy()
    expect(form.valid()).toBe(true)
  })

  it('send message: variables are inserted from the menu by name and read as chips, with a fallback', () => {
    const form = renderControlled('send-message')
    const box = screen.getByRole('textbox', { name: 'Message' })
    typeInto(box, 'Hi ')
    fireEvent.click(screen.getByRole('button', { name: 'Insert a variable into Message' }))
    expect(screen.getByRole('textbox', { name: 'Search variables' })).toBeTruthy()
    fireEvent.click(screen.getByRole('menuitem', { name: "Shopper's first name" }))
    expect(form.config()).toMatchObject({ text: 'Hi {{contact.first_name}}' })
    expect(document.activeElement).toBe(box)
    expect(box.textContent).not.toContain('{{')
    fireEvent.click(screen.getByText("Shopper's first name ▾"))
    fireEvent.change(screen.getByLabelText(/is unknown, write/), { target: { value: 'there' } })
    expect(form.config()).toMatchObject({ text: 'Hi {{contact.first_name | default: "there"}}' })
    expect(screen.getByText("Shopper's first name · if unknown: there ▾")).toBeTruthy()
    expect(box.textContent).not.toContain('{{')
    expect(form.valid()).toBe(true)
  })

  it('send message: the variable menu closes on Escape and searches by name', () => {
    renderControlled('send-message')
    fireEvent.click(screen.getByRole('button', { name: 'Insert a variable into Message' }))
    const search = screen.getByRole('textbox', { name: 'Search variables' })
    fireEvent.change(search, { target: { value: 'store' } })
    expect(screen.getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Store name'])
    fireEvent.keyDown(search, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
  })

  it('send message: buttons offer a reply timeout and explain that each is a path', () => {
    const form = renderControlled('send-message')
    fireEvent.click(screen.getByText('+ Add button'))
    expect(screen.getByText(/Each button is its own path/)).toBeTruthy()
    fireEvent.click(screen.getByLabelText(/Stop waiting for an answer/))
    expect(form.config()).toMatchObject({ replyTimeout: null })
    expect(form.valid()).toBe(true)
  })

  it('the variable search box has a label, and Escape closes the variable menu', () => {
    renderControlled('send-message')
    fireEvent.click(screen.getByRole('button', { name: 'Insert a variable into Message' }))
    expect(screen.getByLabelText('Search variables')).toBeTruthy()
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(screen.queryByLabelText('Search variables')).toBeNull()
  })

  it('delay: sets the duration amount and unit', () => {
    const form = renderControlled('delay')
    fireEvent.change(screen.getByLabelText('Duration'), { target: { value: '2' } })
    fireEvent.change(screen.getByLabelText('Duration unit'), { target: { value: 'days' } })
    expect(form.config()).toEqual({ mode: 'duration', duration: { amount: 2, unit: 'days' } })
    fireEvent.change(screen.getByLabelText('Wait'), { target: { value: 'time_of_day' } })
    expect(form.config()).toMatchObject({ mode: 'time_of_day', time: '10:00' })
    expect(form.valid()).toBe(true)
  })

  it('wait for reply: adds branches with keywords and switches the timeout off', () => {
    const form = renderControlled('wait-for-reply')
    fireEvent.click(screen.getByText('+ Add branch'))
    fireEvent.change(screen.getByLabelText('Branch 1 title'), { target: { value: 'Yes' } })
    fireEvent.change(screen.getByLabelText('Branch 1 keywords'), { target: { value: 'yes, sure , ok' } })
    fireEvent.click(screen.getByText('+ Add branch'))
    fireEvent.click(screen.getByLabelText('Stop waiting after a while'))
    expect(form.config()).toEqual({
      branches: [
        { id: 'b1', title: 'Yes', keywords: ['yes', 'sure', 'ok'] },
        { id: 'b2', title: 'Answer 2', keywords: [] },
      ],
      intents: [],
      timeout: null,
    })
    expect(form.valid()).toBe(true)
  })

  it('send message: a button can also take typed replies that want it, chosen in plain words', () => {
    const form = renderControlled('send-message')
    fireEvent.click(screen.getByText('+ Add button'))
    const select = screen.getByLabelText('Button 1 also taken when the shopper writes') as HTMLSelectElement
    expect([...select.options].map((o) => o.text)).toContain('says no or not interested')
    expect([...select.options].map((o) => o.value).join(' ')).not.toMatch(/[A-Z]/)
    fireEvent.change(select, { target: { value: 'not_interested' } })
    expect(form.config()).toMatchObject({ buttons: [{ title: 'Option 1', intent: 'not_interested' }] })
    fireEvent.change(screen.getByLabelText('Button 1 title'), { target: { value: 'No, all good' } })
    expect(form.config()).toMatchObject({ buttons: [{ title: 'No, all good', intent: 'not_interested' }] })
    fireEvent.change(select, { target: { value: '' } })
    expect((form.config() as { buttons: object[] }).buttons[0]).not.toHaveProperty('intent')
  })

  it('wait for reply: ticks intents in plain words, each becomes an output in a fixed order', () => {
    const form = renderControlled('wait-for-reply')
    expect(screen.queryByText(/wants_person|not_interested/)).toBeNull()
    fireEvent.click(screen.getByLabelText('Says no or not interested'))
    fireEvent.click(screen.getByLabelText('Wants to talk to a person'))
    fireEvent.click(screen.getByLabelText('Asks where their order is'))
    expect(form.config()).toMatchObject({ intents: ['wants_person', 'order_status', 'not_interested'] })
    expect(form.valid()).toBe(true)
    const handles = getNodeKind('wait-for-reply')!.handles(form.config() as never)
    expect(handles.map((h) => h.label)).toEqual([
      'Wants to talk to a person',
      'Asks where their order is',
      'Says no or not interested',
      'Anything else',
      'No reply',
    ])
    fireEvent.click(screen.getByLabelText('Asks where their order is'))
    expect(form.config()).toMatchObject({ intents: ['wants_person', 'not_interested'] })
    expect((screen.getByLabelText('Wants to talk to a person') as HTMLInputElement).checked).toBe(true)
  })

  it('condition: adds a rule and edits variable, comparison and value', () => {
    const form = renderControlled('condition')
    fireEvent.click(screen.getByText('+ Add rule'))
    fireEvent.change(screen.getByLabelText('Rule 1 variable'), { target: { value: 'cart.item_count' } })
    fireEvent.change(screen.getByLabelText('Rule 1 comparison'), { target: { value: 'greater_or_equal' } })
    fireEvent.change(screen.getByLabelText('Rule 1 value'), { target: { value: '2' } })
    fireEvent.change(screen.getByLabelText('Go “Yes” when'), { target: { value: 'any' } })
    expect(form.config()).toEqual({
      group: { match: 'any', rules: [{ path: 'cart.item_count', operator: 'greater_or_equal', value: 2 }] },
    })
    fireEvent.change(screen.getByLabelText('Rule 1 comparison'), { target: { value: 'is_set' } })
    expect(form.config()).toEqual({
      group: { match: 'any', rules: [{ path: 'cart.item_count', operator: 'is_set' }] },
    })
    expect(form.valid()).toBe(true)
  })
})
