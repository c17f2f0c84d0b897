// Restarts after the UART has had time to send what is queued (~100 bytes per 10 ms at 115200).
export function restartSoon(): void {
  setTimeout(function () {
    require('ESP8266').reboot();
  }, 100);
}
