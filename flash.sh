#!/usr/bin/env bash
# Puts Espruino and this firmware on an ESP-WROOM-02D (or any ESP8266 with 2 or 4 MB flash).
#
#   ./flash.sh [--port /dev/ttyUSB0] [--baud 115200] [--flash-baud 460800] [--flash-size 2|4]
#              [--release DIR] [--image FILE] [--upload-only] [--any-espruino] [--recover]
#              [--output FILE] [--dry-run]
#
# 1. Flashes the pinned Espruino build (ESP8266_4MB, 2v29.277: commit c5ff787b1 of Espruino's
#    master, from its CI builds) with esptool: the board must be in its bootloader (GPIO0 low
#    while it resets). The 2v29 release itself loses UART input when more than 64 bytes arrive
#    at once (Espruino issue #2718, fixed after it by commit a3f0859, 2v29.96).
# 2. Checks that the Espruino on the board has that fix (its version is 2v29.96 or later),
#    builds the firmware package dist/firmware.tcfw and stores it in Storage with the espruino
#    command-line tool (the `espruino` npm package), through the JavaScript console on the
#    UART: its image selector as .bootcde, the package itself as "fw" (the core and the
#    modules it loads from flash). The board must be running Espruino with no boot code yet
#    (right after step 1). --any-espruino skips the version check.
# --upload-only skips step 1. --recover erases the Storage area (boot code and settings) so
# that the console comes back on the UART. --output FILE writes what the espruino tool would
# send instead of sending it. --image FILE stores that package instead of building one.
# --dry-run prints every step and runs none.
set -euo pipefail
cd "$(dirname "$0")"

ESPRUINO_BUILD=2v29.277
PORT=/dev/ttyUSB0
BAUD=115200
FLASH_BAUD=460800
FLASH_MB=2
RELEASE_DIR="espruino_${ESPRUINO_BUILD}_esp8266_4mb"
UPLOAD_ONLY=0
ANY_ESPRUINO=0
RECOVER=0
OUTPUT=""
IMAGE=""
DRY_RUN=0

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --baud) BAUD="$2"; shift 2 ;;
    --flash-baud) FLASH_BAUD="$2"; shift 2 ;;
    --flash-size) FLASH_MB="$2"; shift 2 ;;
    --release) RELEASE_DIR="$2"; shift 2 ;;
    --upload-only) UPLOAD_ONLY=1; shift ;;
    --any-espruino) ANY_ESPRUINO=1; shift ;;
    --recover) RECOVER=1; shift ;;
    --output) OUTPUT="$2"; shift 2 ;;
    --image) IMAGE="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "flash.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

# The 4MB build keeps its firmware and Storage (48 x 4 KB at 0xCB000) in the first 1 MB; the
# SDK's init data goes in the chip's last 16 KB, so only the flash-size header and those
# two addresses depend on the chip.
case "$FLASH_MB" in
  2) FLASH_SIZE_ARG=2MB-c1; INIT_DATA_ADDR=0x1FC000; BLANK_ADDR=0x1FE000 ;;
  4) FLASH_SIZE_ARG=4MB-c1; INIT_DATA_ADDR=0x3FC000; BLANK_ADDR=0x3FE000 ;;
  *) echo "flash.sh: --flash-size takes 2 or 4" >&2; exit 2 ;;
esac
STORAGE_ADDR=0xCB000
STORAGE_SIZE=0x30000

step() { echo "== $*"; }
run() {
  echo "+ $*"
  if [ "$DRY_RUN" = 0 ]; then "$@"; fi
}

esptool_cmd() {
  if command -v esptool.py >/dev/null 2>&1; then echo esptool.py
  elif command -v esptool >/dev/null 2>&1; then echo esptool
  elif [ "$DRY_RUN" = 1 ]; then echo esptool.py
  else echo "flash.sh: esptool is needed (pip install esptool, or Debian's esptool package)" >&2; exit 1
  fi
}

if [ "$RECOVER" = 1 ]; then
  step "Erase Storage (boot code and settings) so the console returns to the UART; hold GPIO0 low during reset first"
  run "$(esptool_cmd)" --port "$PORT" --baud "$FLASH_BAUD" erase_region "$STORAGE_ADDR" "$STORAGE_SIZE"
  exit 0
fi

if [ "$UPLOAD_ONLY" = 0 ] && [ -z "$OUTPUT" ]; then
  step "Flash Espruino $ESPRUINO_BUILD (ESP8266_4MB build) for a $FLASH_MB MB chip from $RELEASE_DIR; hold GPIO0 low during reset first"
  for f in boot_v1.6.bin espruino_esp8266_user1.bin esp_init_data_default.bin blank.bin; do
    if [ "$DRY_RUN" = 0 ] && [ ! -f "$RELEASE_DIR/$f" ]; then
      echo "flash.sh: $RELEASE_DIR/$f is missing: unzip the ESP8266_4MB build of Espruino $ESPRUINO_BUILD (commit c5ff787b1, from Espruino's CI builds) here as $RELEASE_DIR, or give --release DIR" >&2
      exit 1
    fi
  done
  ESPTOOL=$(esptool_cmd)
  run "$ESPTOOL" --port "$PORT" --baud "$FLASH_BAUD" erase_flash
  run "$ESPTOOL" --port "$PORT" --baud "$FLASH_BAUD" write_flash --flash_mode dio --flash_freq 40m --flash_size "$FLASH_SIZE_ARG" \
    0x0000 "$RELEASE_DIR/boot_v1.6.bin" \
    0x1000 "$RELEASE_DIR/espruino_esp8266_user1.bin" \
    "$INIT_DATA_ADDR" "$RELEASE_DIR/esp_init_data_default.bin" \
    "$BLANK_ADDR" "$RELEASE_DIR/blank.bin"
  step "Release GPIO0 and reset the board: Espruino starts with its console on the UART at $BAUD baud"
fi

if [ -z "$IMAGE" ]; then
  step "Build the firmware package"
  run npm run --silent build
  IMAGE=dist/firmware.tcfw
fi

ESPRUINO_CLI=node_modules/espruino/bin/espruino-cli.js

# Versions 2v29.96 and later (and 2v30 on) keep every UART byte; anything older loses bursts.
if [ -z "$OUTPUT" ] && [ "$ANY_ESPRUINO" = 0 ]; then
  step "Check that the Espruino on the board keeps UART bursts (2v29.96 or later)"
  if [ "$DRY_RUN" = 1 ]; then
    echo "+ node $ESPRUINO_CLI --port $PORT -b $BAUD --no-ble -e print(\"VERSION=\"+process.env.VERSION)"
  else
    VERSION=$(node "$ESPRUINO_CLI" --port "$PORT" -b "$BAUD" --no-ble -e 'print("VERSION="+process.env.VERSION)' 2>/dev/null | sed -n 's/.*VERSION=\([0-9v.]*\).*/\1/p' | head -1)
    if [ -z "$VERSION" ]; then
      echo "flash.sh: no Espruino answered on $PORT at $BAUD baud (is it running, with no boot code yet?)" >&2
      exit 1
    fi
    if ! node -e 'const [m,r,b]=process.argv[1].replace("v",".").split(".").map(Number);process.exit(m>2||(m===2&&(r>29||(r===29&&(b||0)>=96)))?0:1)' "$VERSION"; then
      echo "flash.sh: the board runs Espruino $VERSION, which loses UART input when more than 64 bytes arrive at once (issue #2718): flash $ESPRUINO_BUILD first, or pass --any-espruino" >&2
      exit 1
    fi
    echo "Espruino $VERSION on the board"
  fi
fi
FORGET_UPDATES='["tcboota","tcbootb","tctried","fwa","fwb"].forEach(function(f){require("Storage").erase(f);});'
FILES=$(mktemp -d)
trap 'rm -rf "$FILES"' EXIT
step "Split $IMAGE into the Storage files it installs"
if [ "$DRY_RUN" = 0 ] || [ -f "$IMAGE" ]; then
  node tools/firmware-package.js files "$IMAGE" "$FILES" || exit 2
fi
STORAGE_ARGS=(--storage ".bootcde:$FILES/.bootcde" --storage "fw:$FILES/fw")
if [ -n "$OUTPUT" ]; then
  step "Write what the espruino tool would send to $OUTPUT (no board)"
  run node "$ESPRUINO_CLI" -n "${STORAGE_ARGS[@]}" -o "$OUTPUT"
else
  # An image a self-update stored would otherwise keep running in place of the one uploaded.
  step "Store the selector as .bootcde and the package as fw, forget self-updated images, restart: the firmware then takes the UART and prints ready"
  run node "$ESPRUINO_CLI" --port "$PORT" -b "$BAUD" --no-ble --board ESP8266_4MB "${STORAGE_ARGS[@]}" \
    -e "$FORGET_UPDATES E.reboot()"
fi
