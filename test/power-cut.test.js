// Nothing stored is lost across a power cut at any point: a cut after every possible flash
// operation of a settings write leaves the old value or the new one, whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimModule, tempState, REAL_ESPRUINO } from './helpers/module.js';
import { Device } from '../sim/device.js';

const OLD = '+TCDEVINFOSET:0,"CTQS08Y5LG","Dev01",116,"ap-guangzhou"';
const NEW = '+TCDEVINFOSET:0,"CTQS08Y5LG","Dev02",116,"ap-guangzhou"';

async function seeded() {
  const mod = await SimModule.start();
  await mod.command('ATE0');
  await mod.command('AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev01","ZHNkIGRzZCA="', { until: /^\+TCDEVINFOSET:/ });
  await mod.kill();
  return mod.state;
}

async function queryAfterRestart(state) {
  const mod = await SimModule.start({ state });
  await mod.command('ATE0');
  const lines = await mod.command('AT+TCDEVINFOSET?');
  await mod.kill();
  return lines[0];
}

const SIMULATOR_ONLY = REAL_ESPRUINO ? 'needs the simulator\'s flash (cut after N operations, its Storage image)' : false;

test('a cut after each flash operation of AT+TCDEVINFOSET leaves the old or the new value', { skip: SIMULATOR_ONLY }, async () => {
  const seen = { old: 0, new: 0 };
  let completed = false;
  for (let ops = 1; ops <= 40 && !completed; ops++) {
    const state = await seeded();
    const mod = await SimModule.start({ state, args: ['--power-cut-after', String(ops)] });
    mod.send('ATE0');
    mod.send('AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev02","ZHNkIGRzZCA="');
    const outcome = await mod.waitFor((text) => (/\+TCDEVINFOSET:OK/.test(text) ? 'done' : undefined), { timeout: 10000 })
      .catch(() => 'cut');
    await mod.kill();
    if (outcome === 'done') completed = true;
    const value = await queryAfterRestart(state);
    assert.ok(value === OLD || value === NEW, `after a cut at operation ${ops}: ${value}`);
    if (outcome === 'done') assert.equal(value, NEW);
    seen[value === OLD ? 'old' : 'new']++;
  }
  assert.ok(completed, 'the write completes once the cut comes after it');
  assert.ok(seen.old > 0 && seen.new > 0, `both outcomes occur: ${JSON.stringify(seen)}`);
});

test('kills at random instants during repeated settings writes never lose the settings', async () => {
  const state = await seeded();
  const allowed = new Set([OLD, NEW]);
  let seed = 11;
  for (let round = 0; round < 5; round++) {
    const mod = await SimModule.start({ state });
    mod.send('ATE0');
    for (let i = 0; i < 6; i++) mod.send(`AT+TCDEVINFOSET=0,"CTQS08Y5LG","Dev0${i % 2 ? 1 : 2}","ZHNkIGRzZCA="`);
    seed = (seed * 48271) % 2147483647;
    await new Promise((r) => setTimeout(r, seed % 40));
    await mod.kill();
    const value = await queryAfterRestart(state);
    assert.ok(allowed.has(value), `round ${round}: ${value}`);
  }
});

test('AT+RESTORE clears the saved WiFi configuration; AT+TCRESTORE keeps it', { skip: SIMULATOR_ONLY }, async () => {
  const state = tempState();
  const seed = new Device({ stateDir: state });
  seed.storage.write('.wificfg', JSON.stringify({ mode: 'sta', ssid: 'SimHome', password: 'simpassword' }), 0, undefined, { Error, TypeError });
  seed.shutdown();

  let mod = await SimModule.start({ state });
  await mod.waitFor(() => /join "SimHome": connected/.test(mod.stderr) || undefined, { what: 'the saved WiFi to be joined' });
  await mod.command('ATE0');
  mod.send('AT+TCRESTORE');
  await mod.expectLine('ready');
  await mod.kill();
  const afterTc = new Device({ stateDir: state });
  assert.match(afterTc.storage.read('.wificfg'), /SimHome/);
  afterTc.shutdown();

  mod = await SimModule.start({ state });
  await mod.command('ATE0');
  mod.send('AT+RESTORE');
  await mod.expectLine('ready');
  await mod.kill();
  const afterRestore = new Device({ stateDir: state });
  assert.equal(afterRestore.storage.read('.wificfg'), undefined);
  afterRestore.shutdown();
});
