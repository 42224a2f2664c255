// Runs the gate in its own process, for the kill test and the benchmark: node gate-child.ts <root> <dist>.
// Prints one JSON line {"listening": url} once it serves; SIGTERM stops it gracefully, as npm start does.
import { startGate } from '../../src/gate/server.ts';

const [root, dist] = process.argv.slice(2);
const gate = await startGate(root!, dist!, process.env, () => {});
process.stdout.write(`${JSON.stringify({ listening: gate.url })}\n`);
process.once('SIGTERM', () => void gate.close().then(() => process.exit(0)));
