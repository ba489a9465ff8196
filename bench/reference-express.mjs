// Reference: a bare Express 5 app answering POST /tools/call for get_time with the
// project's own handler, so the only difference is the framework around it.
// Usage: node bench/reference-express.mjs <port>
import express from 'express';
import { TimeTool } from '../dist/apps/server-b/src/utility/time/time.tool.js';

const tool = new TimeTool();
const app = express();
app.use(express.json());
app.post('/tools/call', (req, res) => {
  const { name, arguments: args = {} } = req.body ?? {};
  if (name !== 'get_time') return res.status(404).json({ error: 'unknown tool' });
  const started = performance.now();
  const result = tool.execute(args);
  res.json({
    tool: name,
    operation: args.operation ?? 'execute',
    result,
    durationMs: performance.now() - started,
    server: 'express',
  });
});

const port = Number(process.argv[2] ?? 0);
const server = app.listen(port, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
