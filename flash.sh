#!/usr/bin/env bash
# Puts Espruino and this firmware on an ESP-WROOM-02D (or any ESP8266 with 2 or 4 MB flash).
#
#   ./flash.sh [--port /dev/ttyUSB0] [--baud 115200] [--flash-baud 460800] [--flash-size 2|4]
#              [--release DIR] [--image FILE] [--upload-only] [--recover] [--output FILE] [--dry-run]
#
# 1. Flashes the pinned Espruino release (ESP8266_4MB build) with esptool: the board must be
#    in its bootloader (GPIO0 low while it resets).
# 2. Builds the firmware package dist/firmware.tcfw and stores it in Storage with the espruino
#    command-line tool (the `espruino` npm package), through the JavaScript console on the
#    UART: its image selector as .bootcde, the package itself as "fw" (the core and the
#    modules it loads from flash). The board must be running Espruino with no boot code yet
#    (right after step 1).
# --upload-only skips step 1. --recover erases the Storage area (boot code and settings) so
# that the console comes back on the UART. --output FILE writes what the espruino tool would
# send instead of sending it. --image FILE stores that package instead of building one.
# --dry-run prints every step and runs none.
set -euo pipefail
cd "$(dirname "$0")"

ESPRUINO_RELEASE=2v29
PORT=/dev/ttyUSB0
BAUD=115200
FLASH_BAUD=460800
FLASH_MB=2
RELEASE_DIR="espruino_${ESPRUINO_RELEASE}_esp8266_4mb"
UPLOAD_ONLY=0
RECOVER=0
OUTPUT=""
IMAGE=""
DRY_RUN=0

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --baud) BAUD="$2"; shift 2 ;;
    --flash-baud) FLASH_BAUD="$2"; shift 2 ;;
    --flash-size) FLASH_MB="$2"; shift 2 ;;
    --release) RELEASE_DIR="$2"; shift 2 ;;
    --upload-only) UPLOAD_ONLY=1; shift ;;
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
  step "Flash Espruino $ESPRUINO_RELEASE (ESP8266_4MB build) for a $FLASH_MB MB chip from $RELEASE_DIR; hold GPIO0 low during reset first"
  for f in boot_v1.6.bin espruino_esp8266_user1.bin esp_init_data_default.bin blank.bin; do
    if [ "$DRY_RUN" = 0 ] && [ ! -f "$RELEASE_DIR/$f" ]; then
      echo "flash.sh: $RELEASE_DIR/$f is missing: unzip espruino_${ESPRUINO_RELEASE}_esp8266_4mb.zip from Espruino's releases here, or give --release DIR" >&2
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
