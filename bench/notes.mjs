/**
 * What stands between a missed target and the measurement, for BENCHMARKS.md: written from the
 * profiles and experiments of the performance work (issue 7), with this run's numbers filled in.
 * Each note is printed only when its target is missed in the run at hand.
 */
const ms = (ns) => `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 1)} ms`
const us = (ns) => `${(ns / 1e3).toFixed(1)} µs`
const x = (v) => `${v.toFixed(2)}×`

/** ", so sessions of N dispatches or more are under 1.5×", from the fixed cost and the steady ratio. */
function breakEven(r) {
  const st = steady(r)
  if (!(st < 1.5)) return ''
  const bare = r.dispatch.bare.cpuNs.median - r.fixedNs.bare.median / r.n
  const n = Math.ceil((r.fixedNs.recorder.median - r.fixedNs.bare.median) / ((1.5 - st) * bare))
  if (n <= r.n) {
    return ` (medians of CPU time per dispatch; the target is checked against the median of per-round ratios, which moves with the machine's load — see the per-run figures: this miss is within them)`
  }
  return `, so sessions of about ${n} dispatches or more are under 1.5× at this size`
}

/** Recorder / bare CPU per dispatch with each one's fixed per-session cost taken out (medians). */
export function steady(r) {
  const d = r.dispatch
  return (d.recorder.cpuNs.median - r.fixedNs.recorder.median / r.n) / (d.bare.cpuNs.median - r.fixedNs.bare.median / r.n)
}

const NOTES = {
  dispatch: ({ results }) => {
    const r = results['1 KB']
    return [
      `At 1 KB a bare dispatch takes ${us(r.dispatch.bare.dispatchNs.median)}; 1.15× leaves about ${Math.round(r.dispatch.bare.dispatchNs.median * 0.15)} ns for the recorder. What it does on the dispatch path (hashing is deferred): read the clock for \`t\` (\`performance.now()\`, 40–60 ns in Node 20), push the entry into the ring and the state onto the hash queue (~40 ns), the turn middleware and the reducer wrapper (~20 ns), plus scavenges made costlier by states kept alive until they are hashed. Removing the clock read alone measured −60 ns per dispatch in an experiment.`,
      'What would close it: one clock read per synchronous burst of dispatches (every entry of a burst would get the same `t`), or `Date.now()` (loses sub-millisecond `t`); both change what `t` means, so they are the lead\'s call. The ratio is within the run-to-run noise of the target (see the IQR).',
    ].join('\n\n')
  },
  cpu: ({ results, missed, profiles }) => {
    const out = []
    const cpu = missed.filter((t) => t.id === 'cpu')
    if (cpu.some((t) => t.label === '1 KB')) {
      const r = results['1 KB']
      const p = profiles.find((q) => q.key === 'rec-1 KB')
      const g = p ? Object.fromEntries(p.groups.map((q) => [q.group, q.pct])) : {}
      const total = r.dispatch.recorder.cpuNs.median
      const part = (k) => (g[k] === undefined ? '?' : `${g[k].toFixed(0)}% (~${us((g[k] / 100) * total)} per action)`)
      out.push(
        `**1 KB.** The bare dispatch costs ${us(r.dispatch.bare.cpuNs.median)} of CPU (bench loop included); with the recorder ${us(total)}, so it adds ${us(total - r.dispatch.bare.cpuNs.median)} per action. The profile of recorder sessions (above) splits that ${us(total)} into fr64 hashing ${part('fr64 hashing')}, serialisation ${part('serialisation')}, sink and file I/O ${part('sink and file I/O')}, garbage collection ${part('garbage collection')}, the reducer and Redux ${part('reducer and redux')}. Per action the new state is hashed incrementally (src/hash/compact.ts): the changed entity afresh (an entity is too cheap to cache), its old hash read from the entry hashes the entity map keeps beside its key list, then the entity map and the root from their kept sums — three \`Object.keys\`, some twenty property reads, the mixing fr64's frozen word layout requires, ~2 µs. The records a step makes stay young (per-hasher arrays, not the WeakMap) until the next step replaces them: in a WeakMap they outlived every scavenge, were promoted and died old, which cost more than the hashing itself (session 7: 9.2 → 7.4 µs per recorded dispatch, single-threaded). The action line is serialised (a check that the action is plain JSON, \`JSON.stringify\` ~0.3 µs, timestamp and hash fields) and written (\`fileSink\` encodes each line into a 64 KB buffer, one \`write\` per buffer), ~1 µs with the bookkeeping; all of it leaves garbage.`,
        `2.0× would leave ~${us(r.dispatch.bare.cpuNs.median)} for everything, about what the incremental hash costs alone. What this work removed (measured A/B): the promotion of every step's records out of a WeakMap, the second hash of the changed entity (its old hash is kept), a string of each flush's batch built, flattened and encoded (bench/small-state.md), a copy of each flush's text before encoding (−600 ns per line), the number formatting of \`t\` (a cached millisecond prefix and a table of fractions), a key array per faithfulness check. What would close the rest is structural: hashing and serialising on a worker thread (the state would have to be transferred, which costs more than hashing it incrementally), or not hashing every action (contrary to the design). We did not find a way to 2.0× in JavaScript with every action hashed and written.`,
      )
    }
    const big = cpu.filter((t) => t.label !== '1 KB')
    for (const t of big) {
      const r = results[t.label]
      out.push(
        `**${t.label}.** A session costs the recorder a fixed ${ms(r.fixedNs.recorder.median)} whatever its length: the first full hash of the state, the header and the \`@@end\` line (each the whole state as JSON), and writing them. Over the ${r.n} dispatches the bench can afford at this size that is ${ms(r.fixedNs.recorder.median / r.n)} per dispatch; without it the ratio is ${x(steady(r))} (column "ratio without the fixed cost")${breakEven(r)}. Per dispatch, most of the hashing time is \`Object.keys\` over the ${r.entities.toLocaleString('en')}-key entity map (a dictionary-mode object, whose keys V8 sorts at every call), needed to see which entries changed; the values themselves are compared against the previous version's, kept with its entry hashes.`,
      )
      if (steady(r) >= 1.5) {
        out.push(`Here the per-dispatch cost alone is over the target in this run (the fixed cost aside), so a cheaper fixed cost would not close it by itself. Per dispatch the recorder lists the keys of the ${r.entities.toLocaleString('en')}-key map (\`Object.keys\` of a dictionary-mode object sorts them) and reads every value to compare it with the previous version's; the bare dispatch copies the same map once. What would close it: a way to learn which keys changed without listing them (JavaScript has none for plain objects; Immer patches or RTK's entity adapter could tell, which would tie the hasher to them), or smaller maps. The run-to-run spread at this size is large (see the per-run figures).`)
      }
      out.push('What would close it at this session length: a cheaper fixed cost. Its parts are the first full hash (about two `JSON.stringify` of the same state; this work removed a deoptimisation loop seen in some runs and not others: the first large container\'s on-stack-compiled loop was thrown away hundreds to thousands of times per hash, `node --trace-deopt`; one A/B measured the full hash 1.6× slower with it, another no difference), two `JSON.stringify` of the whole state (header and `@@end`, required by the log format), their UTF-8 encoding and the garbage of both. An app that splits a huge entity map into shards would make both its own dispatches and the recorder\'s incremental hash cheaper.')
    }
    return out.join('\n\n')
  },
  'replay-rate': ({ results }) => {
    const r = results['1 KB'].replay
    const per = (rate) => us(1e9 / rate)
    return [
      `Replay without checks runs at ${Math.round(r.unchecked.median / 1000)}k actions/s here (${per(r.unchecked.median)} per action: parsing the line — a fast path reads the recorder's own action lines with one regular expression and \`JSON.parse\` of the action only — and the bench reducer, a bare dispatch). The check adds the incremental hash of the new state, ${per(r.checked.median)} − ${per(r.unchecked.median)} per action, so with checks ${Math.round(r.checked.median / 1000)}k/s. 400k/s allows 2.5 µs per action for all three.`,
      'What this work changed: the replayer reads the text as it replays (no array of every parsed entry: garbage collection fell from ~10% to ~2% of the profile), compares fr64 hashes as numbers instead of building hex strings, the incremental hash reads a changed entity\'s old hash from the entity map\'s kept entry hashes instead of rehashing the old entity, and a step\'s records stay young instead of being promoted out of a WeakMap (session 7: 97k → 155k actions/s with checks, separate processes under the same load). What would close the rest: an incremental hash near 1 µs per step at this size; most of what is left is fixed per-call work (three `Object.keys`, property reads, the mixing the frozen word layout requires). We do not see a way to 400k/s with every step checked in JavaScript.',
    ].join('\n\n')
  },
  'replay-ratio': ({ missed, results }) =>
    missed
      .filter((t) => t.id === 'replay-ratio')
      .map((t) => {
        const r = results[t.label]
        return `**${t.label}.** Replay with checks hashes the log's starting state in full once (${t.label === '10 MB' ? 'about 100–150 ms at 10 MB' : 'once per replay'}) before the first step, then each step incrementally (mostly \`Object.keys\` over the ${r.entities.toLocaleString('en')}-key entity map, against the reducer's copy of it). With ${r.replay.n} actions the one-time hash is a large share; a longer log spreads it. Closing it for short logs means a faster full hash (see total CPU).`
      })
      .join('\n\n'),
  memory: () =>
    'Each buffered entry keeps the action the app created alive (about 80 B for a small action; that is most of it), plus 33 B of ring columns (the line-size column, 4 B, came with `maxBytes`). A figure of 93 B measured on 2026-12-03 was too small: the bench read the heap before the hash queue had drained after its first burst (it now awaits `flush()` first; that build measures 111 B the same way). Lowering it further would mean serialising actions into the buffer instead of keeping them by reference (which costs CPU on the dispatch path) or dropping a column (the per-entry time is a Float64 for sub-millisecond `t` over long sessions).',
  size: ({ size }) => {
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
    const lines = size
      .filter((b) => b.id.startsWith('recorder+') && !b.missing)
      .map((b) => `${b.label}: ${kb(b.gzip)} gzipped against ${kb(b.limit)}; its largest parts (minified): ` + b.parts.slice(0, 5).map((p) => `${p.file} ${kb(p.minified)}`).join(', ') + '.')
    // The /lazy pages: every file loaded at start (code splitting), against the same 8 KB target.
    const lazy = size.filter((b) => b.id.startsWith('lazy+') && !b.missing)
    const over = lazy.filter((b) => b.target !== undefined && b.gzip > b.target)
    const pages = lazy.map((b) => `${(b.gzip / 1024).toFixed(2)} KB`).join(' and ')
    return [
      ...lines,
      'The entries are split by use (the root entry records; replay, DevTools files and property tests are subpaths), so an app that records ships no replayer, parser or shrinker, and development-only code is dropped from production builds. What is left is the recorder itself, ~21.5 KB gzipped as a page\'s bundler emits it: fr64, serialising and lossy-value detection, the hash and sink queues, the buffer. ' +
        `\`redux-flight-recorder/lazy\` keeps that core in a chunk requested when the recorder is created, so that the page downloads ${pages} at start (every file, built with code splitting; its rows above)${over.length === 0 ? ', within the 8 KB target' : `: over the 8 KB target too, by ${over.map((b) => `${((b.gzip - b.target) / 1024).toFixed(2)} KB`).join(' and ')} (the chunk esbuild makes of what the page and the core both import, the error classes, the clock and the turns, costs ~0.3 KB: without it the page would be under the target)`}. The costs with Vite and webpack are in docs/guides/record-browser.md; the root entry keeps the recorder complete at creation, and stays over the target.`,
    ].join('\n\n')
  },
}

export function notesFor(missed, data) {
  const out = []
  const ids = [...new Set(missed.map((t) => t.id))]
  for (const id of ids) {
    const which = missed.filter((t) => t.id === id).map((t) => `${t.what}: ${t.text} (${t.by})`)
    out.push(`### ${which.join('; ')}`, '', NOTES[id]({ ...data, missed }), '')
  }
  return out
}
