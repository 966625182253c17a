// `npm run demo:web`: serves the demo todo app with a flight recorder and a small devtools panel on
// 127.0.0.1. PORT chooses the port (PORT=0: any free one); without it 5178, or a free port when
// 5178 is taken.
import { startDemoServer, type DemoServer } from './server'

const DEFAULT_PORT = 5178

async function main() {
  const requested = process.env.PORT
  let demo: DemoServer
  if (requested !== undefined && requested !== '') {
    const port = Number(requested)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0 for any free port). Instead, received: ${requested}.`)
    demo = await startDemoServer({ port })
  } else {
    demo = await startDemoServer({ port: DEFAULT_PORT }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error
      return startDemoServer({ port: 0 })
    })
  }
  console.log(`Web demo of redux-flight-recorder: ${demo.url}`)
  console.log('Add and toggle todos, sync, then download the session or load one into the timeline. Ctrl+C stops.')
  const stop = () => {
    demo.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
