// The MCU's side of reading a staged image over the UART (no test runner here: benches use it too).
import assert from 'node:assert/strict';

/** Reads the staged image with AT+TCFWINFO? and AT+TCREADFWDATA=4096 until it ends. */
export async function readBack(mod) {
  mod.send('AT+TCFWINFO?');
  const info = (await mod.expectLine(/^\+TCFWINFO:|^\+CME ERROR/)).at(-1);
  const m = /^\+TCFWINFO:"([^"]*)",(\d+),"([0-9a-f]{32})",(\d+)$/.exec(info);
  assert.ok(m, info);
  const size = Number(m[2]);
  const parts = [];
  let got = 0;
  while (got < size) {
    mod.send('AT+TCREADFWDATA=4096');
    const head = await mod.waitFor((t) => /^OK\r\n\+TCREADFWDATA:(\d+),/.exec(t), { what: 'a TCREADFWDATA header' });
    const n = Number(head[1]);
    const total = head[0].length + n + 2;
    const text = await mod.waitFor((t) => (t.length >= total ? t : undefined), { what: `${n} bytes of firmware`, timeout: 20000 });
    assert.equal(text.slice(head[0].length + n, total), '\r\n');
    parts.push(Buffer.from(text.slice(head[0].length, head[0].length + n), 'latin1'));
    mod.received = mod.received.subarray(total);
    got += n;
  }
  return { version: m[1], size, md5: m[3], max: Number(m[4]), image: Buffer.concat(parts) };
}
