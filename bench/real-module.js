// The firmware on a real Espruino interpreter (ESPRUINO_BIN), driven over its UART like the
// simulator in the tests, with a memory sampler the benches ask over the interpreter's console.
import { EspruinoHost } from '../sim/espruino-host.js';
import { SimModule, tempState } from '../test/helpers/module.js';

// Samples usage every millisecond, after a garbage collection (as Espruino collects before it would
// run out: garbage is not what makes it fail), and the longest gap between two samples: the
// longest the event loop was held by one piece of work (on this machine's CPU, not the board's).
// A byte on the interpreter's console (USB, once the firmware has moved the console away) asks
// for "\x02<now> <peak since last asked> <error flags> <longest gap in ms since last asked>\x03".
// "D" instead asks for E.dumpVariables() (every variable and its links) between \x02 and \x03;
// "C" gives the console back to standard output for good (to read uncaught errors while debugging).
const SAMPLER = 'var MP=0,MG=0,LT=getTime();setInterval(function(){var t=getTime(),u=process.memory().usage;if(u>MP)MP=u;if(t-LT>MG)MG=t-LT;LT=t;},1);'
  + 'USB.on("data",function(d){if(d=="C"){E.setConsole(USB,{force:true});return;}if(d=="D"){USB.write("\\x02");E.setConsole(USB,{force:true});E.dumpVariables();E.setConsole(null,{force:true});USB.write("\\x03");return;}'
  + 'var u=process.memory().usage;USB.write("\\x02"+u+" "+(MP>u?MP:u)+" "+E.getErrorFlags().join("|")+" "+(MG*1000).toFixed(1)+"\\x03");MP=0;MG=0;LT=getTime();});';

// The Linux build's flash is only its Storage: the OTA staging area above 1 MB (module info's)
// does not exist there. For the benches, writes there are dropped and reads give back the bytes
// of a stagedImage() (the firmware hashes the image as flash holds it): what a download of that
// image would have left in flash, at the cost of computing them in JavaScript.
const STAGING_BASE = 0x111000;
const STAGING_SINK = `Modules.addCached("Flash",${JSON.stringify('exports.erasePage=function(){};exports.write=function(){};'
  + `exports.read=function(n,addr){var a=new Uint8Array(n),k=addr-${STAGING_BASE},i;for(i=0;i<n;i++,k++)a[i]=(k*7+(k>>8))&255;return a;};`)});`;

/** An MCU image of `length` bytes whose bytes the benches' flash stand-in gives back from the staging area. */
export function stagedImage(length) {
  const image = Buffer.alloc(length);
  for (let k = 0; k < length; k++) image[k] = (k * 7 + (k >> 8)) & 255;
  return image;
}

/** The routes to a test hub (test/helpers/cloud.js startHub) as the espruino host takes them. */
export function cloudOf(hub) {
  return { host: hub.ports.host, ports: { 1883: hub.ports.mqtt, 8883: hub.ports.mqtts, 80: hub.ports.http } };
}

export class RealModule extends SimModule {
  /** `image`: a firmware package (or a plain bundle) as a latin1 string; resolves once it printed ready. */
  static async start(bin, image, cloud) {
    const mod = new RealModule(tempState('bench-real-'));
    mod.console = '';
    mod.host = new EspruinoHost({ bin, stateDir: mod.state, cloud, bootFiles: { '.boot1': SAMPLER, '.boot2': STAGING_SINK },
      toHost: (buf) => { mod.received = Buffer.concat([mod.received, buf]); mod.wake(); },
      onConsole: (buf) => { mod.console += buf.toString('latin1'); mod.wake(); },
      onExit: () => { mod.exited = true; mod.wake(); } });
    mod.host.install(image);
    mod.host.powerOn();
    await mod.expectLine('ready', { timeout: 20000 });
    return mod;
  }

  /**
   * JsVars the harness holds alone (UART bridge, shims, sampler), what the benches subtract: a
   * firmware that only loads the shims standing in for the board's own Wifi and ESP8266 modules.
   */
  static async harness(bin, cloud) {
    const mod = await RealModule.start(bin, 'E.setConsole(null,{force:true});require("Wifi");require("ESP8266");'
      + 'Serial1.setup(115200,{});Serial1.write("ready\\r\\n");', cloud);
    const { now } = await mod.memory();
    await mod.kill();
    return now;
  }

  write(data) {
    this.host.receive(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /**
   * {now, peak, flags, longestMs}: JsVars in use now and at most since the previous call, the
   * interpreter's error flags (LOW_MEMORY...) and the longest the event loop was held, since then.
   */
  async memory() {
    this.console = '';
    this.host.consoleWrite('?');
    const sample = await this.waitFor(() => this.console.match(/\x02(\d+) (\d+) ([A-Z_|]*) ([\d.]+)\x03/), { what: 'a memory sample' });
    return { now: Number(sample[1]), peak: Number(sample[2]), flags: sample[3], longestMs: Number(sample[4]) };
  }

  /** E.dumpVariables()'s lines: "ref,size,flags,name,links..." for every variable in use. */
  async dumpVariables() {
    this.console = '';
    this.host.consoleWrite('D');
    const dump = await this.waitFor(() => this.console.match(/\x02([^\x03]*)\x03/), { what: 'a variable dump', timeout: 20000 });
    return dump[1].split(/\r?\n/).filter((l) => /^\d+,/.test(l));
  }

  async kill() {
    this.host.shutdown();
  }
}
