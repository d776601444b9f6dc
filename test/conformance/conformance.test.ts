// The conformance corpus (test/conformance/cases/*.ts): Fauna's behaviour, case by case, against
// one real server. Each area runs in its own child database, its cases in order.
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import type { ConformanceArea } from './case';
import { prepareArea, runCase } from './runner';

function loadAreas(): ConformanceArea[] {
  const dir = path.join(__dirname, 'cases');
  const areas: ConformanceArea[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.js')).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path.join(dir, f)) as { areas?: ConformanceArea[]; area?: ConformanceArea };
    if (mod.area) areas.push(mod.area);
    if (mod.areas) areas.push(...mod.areas);
  }
  return areas;
}

const areas = loadAreas();

describe('conformance corpus', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.dispose(); });

  for (const area of areas) {
    describe(area.area, () => {
      let prefix = '';
      before(async () => { prefix = await prepareArea(server.url, 'secret', area); });
      for (const c of area.cases) {
        if (c.todo !== undefined) {
          it(c.name, { todo: c.todo }, () => undefined);
          continue;
        }
        it(c.name, () => runCase(server.url, prefix, c));
      }
    });
  }
});
