// bench/md5.js's bundle: the firmware's MD5, reachable from a script run after it.
import { md5Start, md5Update, md5Hex } from '../src/crypto/md5';

(global as any).MD5 = { start: md5Start, update: md5Update, hex: md5Hex };
