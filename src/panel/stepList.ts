// The timeline's step list: a listbox that renders only the rows in view, so a session of
// 10,000 steps costs a few dozen elements. Row offsets go through a stylesheet of its own
// (constructable where the browser has them: no inline styles under a strict CSP).
import { h, uid } from './dom'
import { addSheet } from './sheet'
import { ROW } from './styles'
import type { TimelineStep } from './timeline'

export interface StepList {
  el: HTMLElement
  /** Shows these steps (indices into `steps`). */
  show(steps: TimelineStep[], visible: number[]): void
  /** Marks a step (an index into `steps`, -1 for none) as current and scrolls it into view. */
  setCurrent(index: number): void
}

const HEIGHT = 198

export function createStepList(root: ShadowRoot, label: string, onPick: (index: number) => void): StepList {
  const sheet = addSheet(root, '')
  const rows = h('div', { class: 'rows', role: 'presentation' })
  const spacer = h('div', { class: 'spacer', role: 'presentation' }, rows)
  const el = h('div', { class: 'list', role: 'listbox', tabindex: '0', 'aria-label': label }, spacer)
  const prefix = uid('step')
  let steps: TimelineStep[] = []
  let visible: number[] = []
  /** Position in `visible` of the current step, or -1. */
  let current = -1
  let currentIndex = -1
  let drawn = ''

  function render() {
    const height = el.clientHeight || HEIGHT
    const first = Math.max(0, Math.floor(el.scrollTop / ROW) - 2)
    const last = Math.min(visible.length, first + Math.ceil(height / ROW) + 4)
    const key = `${first}:${last}:${currentIndex}:${visible.length}`
    if (key === drawn) return
    drawn = key
    sheet.replace(`.spacer{height:${visible.length * ROW}px}.rows{transform:translateY(${first * ROW}px)}`)
    const out: HTMLElement[] = []
    for (let p = first; p < last; p++) {
      const i = visible[p]
      const s = steps[i]
      const mark = s.matched === true ? '✓' : s.matched === false ? '✗' : '–'
      // A reducer that threw (when recorded, or on replay) is said in the row, in words.
      const threw = s.recordedThrow !== undefined ? (s.replayThrow !== undefined ? 'threw, as recorded' : 'threw when recorded, not on replay') : s.replayThrow !== undefined ? 'threw on replay' : ''
      const meaning =
        (s.matched === true ? 'matched' : s.matched === false ? 'differs' : 'not checked') +
        (s.stopped ? ', not replayed' : '') +
        (threw ? `, the reducer ${threw}` : '') +
        (s.afterDivergence ? ', after the divergence' : s.notReplayed ? ', not replayed' : '')
      out.push(
        h(
          'div',
          { class: s.afterDivergence || s.notReplayed ? 'opt after' : 'opt', role: 'option', id: `${prefix}-${i}`, 'aria-selected': String(i === currentIndex), 'aria-posinset': p + 1, 'aria-setsize': visible.length, 'data-index': i, onClick: () => onPick(i) },
          h('span', { class: 'seq' }, s.seq),
          h('span', { class: 'turn' }, s.turn ?? '–'),
          h('span', { class: 'kind' }, s.kind),
          threw && h('span', { class: 'threw', 'aria-hidden': 'true' }, 'threw'),
          s.stopped && h('span', { class: 'threw', 'aria-hidden': 'true' }, 'not run'),
          h('span', { class: s.matched === false ? 'bad' : '', 'aria-label': meaning }, mark),
        ),
      )
    }
    rows.replaceChildren(...out)
    if (current !== -1 && current >= first && current < last) el.setAttribute('aria-activedescendant', `${prefix}-${currentIndex}`)
    else el.removeAttribute('aria-activedescendant')
  }

  el.addEventListener('scroll', render)
  return {
    el,
    show(all, shown) {
      steps = all
      visible = shown
      current = visible.indexOf(currentIndex)
      drawn = ''
      render()
    },
    setCurrent(index) {
      currentIndex = index
      current = index === -1 ? -1 : binarySearch(visible, index)
      if (current !== -1) {
        const top = current * ROW
        const height = el.clientHeight || HEIGHT
        if (top < el.scrollTop) el.scrollTop = top
        else if (top + ROW > el.scrollTop + height) el.scrollTop = top + ROW - height
      }
      drawn = ''
      render()
    },
  }
}

function binarySearch(sorted: number[], value: number): number {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] === value) return mid
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
