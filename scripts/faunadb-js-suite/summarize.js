// Per-file counts and failing tests (first line of each failure) from a jest --json result.
const r = require(require('path').resolve(process.argv[2]))
let tot = { pass: 0, fail: 0, skip: 0 }
for (const f of r.testResults) {
  const c = { pass: 0, fail: 0, skip: 0 }
  for (const t of f.assertionResults) c[t.status === 'passed' ? 'pass' : t.status === 'failed' ? 'fail' : 'skip']++
  for (const k in c) tot[k] += c[k]
  console.log(`${require('path').basename(f.name)}: ${c.pass} pass, ${c.fail} fail, ${c.skip} skipped${f.assertionResults.length ? '' : ' [suite error: ' + (f.message || '').split('\n').find(l => l.trim()) + ']'}`)
  if (process.argv[3] !== '-q') for (const t of f.assertionResults) if (t.status === 'failed') {
    const msg = (t.failureMessages[0] || '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter(l => l.trim()).slice(0, 3).join(' | ')
    console.log(`   ✗ ${t.fullName}: ${msg.slice(0, 300)}`)
  }
  if (f.message && f.assertionResults.length && /afterAll|beforeAll|Test suite/.test(f.message)) console.log('   (suite-level: ' + f.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter(l => l.trim()).slice(0, 2).join(' | ').slice(0, 200) + ')')
}
console.log(`TOTAL: ${tot.pass} pass, ${tot.fail} fail, ${tot.skip} skipped, ${tot.pass + tot.fail + tot.skip} tests`)
