import { lstatSync, readlinkSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/** Standard output or error, or a descriptor, named as a file: written to as it is, never replaced. */
const STDIO = /^\/dev\/(?:stdout|stderr|fd\/\d+)$|^\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd\/\d+$/

/**
 * Where `path` leads through symbolic links (the named file also when it does not exist yet), and
 * whether one of them is standard output named as a file (Docker's `ln -s /dev/stdout app.log`:
 * followed to the file a shell's `>>` sends output to, that file was replaced by the log). Renamed
 * over a link, a new log took the link's place: a link to a log on another volume became a file of
 * its own, and `/dev/stdout` a regular file. fileSink follows its path so, and so does every
 * rewrite of a log (src/internal/writeAtomic.ts).
 */
export function followLinks(path: string): { target: string; stdio: boolean } {
  let at = path
  for (let hops = 0; hops < 40; hops++) {
    if (STDIO.test(at)) return { target: path, stdio: true }
    try {
      if (!lstatSync(at).isSymbolicLink()) return { target: at, stdio: false }
      at = resolve(dirname(at), readlinkSync(at))
    } catch {
      return { target: at, stdio: false }
    }
  }
  return { target: path, stdio: false }
}
