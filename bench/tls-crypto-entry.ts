// bench/tls-crypto.js's bundle: the firmware's TLS crypto pieces, reachable from a script run after it.
import { sha256 } from '../src/crypto/sha256';
import { prf } from '../src/crypto/prf';
import { hmac, hmacSha1 } from '../src/crypto/hmac';
import { aesKey, aesCbc } from '../src/crypto/aes';

(global as any).TC = { sha256: sha256, hmacSha256: function (k: string, m: string) { return hmac(sha256, k, m); }, prf: prf, hmacSha1: hmacSha1, aesKey: aesKey, aesCbc: aesCbc };
