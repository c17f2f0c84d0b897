// The firmware's compile time in C's __DATE__ __TIME__ form ("Jun 17 2020 16:25:27"), as
// AT+TCVER and AT+TCMODULE print it. SOURCE_DATE_EPOCH makes builds reproducible.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function compileTime(now = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  const day = String(now.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[now.getUTCMonth()]} ${day} ${now.getUTCFullYear()} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
}
