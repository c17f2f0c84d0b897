// An OTA download (the MCU's image into the staging area, or the module's own package into a
// slot): held while it runs.
export { startDownload, stopDownload } from '../src/cloud/download';
