#!/usr/bin/env bash
# Makes the Dialpad demo company's recordings (sandbox/dialpad/recordings/*.mp3): spoken by
# espeak-ng, encoded by sox as 8 kHz mono MP3 at 8 kbit/s (telephone quality, a few KB each).
# Dialpad's API never serves a recording's audio, so only their size and SHA-256 show through
# the sandbox; they are real MP3s so that uploads in tests and demos are real too. Run once; the
# results are committed. Needs Debian's espeak-ng, sox and libsox-fmt-mp3:
#   apt-get install espeak-ng sox libsox-fmt-mp3
# The hold music is the Talk sandbox's own (sandbox/recordings/acoustic-hold-music.mp3).
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() {  # say FILE VOICE "words"
    espeak-ng -v "$2" -s 155 -p 45 -w "$work/$1.wav" "$3"
    sox "$work/$1.wav" -r 8000 -c 1 -C 8 "$1.mp3" norm -1
}

# London office
say london-welcome en-gb "Welcome to Northwind Outfitters in London."
say london-main-menu en-gb "For sales, press 1. For customer support, press 2."
say london-main-menu-2023 en-gb "For sales, press 1. For our spring catalogue, press 2."
say london-closed en-gb "Our London office is closed. Please leave a message after the tone."
say london-voicemail en-gb "No one can take your call right now. Please leave a message."
say london-sales-welcome en-gb "Thank you for calling Northwind sales."
# New York office
say new-york-main-menu en-us "Northwind New York. For billing, press 1. For sales, press 2."
say new-york-closed en-us "Our New York office is closed. Please call again during business hours."
say christmas-closed en-us "Northwind is closed for the holidays. We will be back on January 2nd."
say new-york-closed-menu en-us "We are closed. To leave a message, press 1."
# The support call centre's queue
say support-queue-welcome en-gb "You are through to Northwind support. Please hold."
say queue-position-1 en-gb "You are first in the queue."
say queue-position-2 en-gb "You are second in the queue."
say queue-position-3 en-gb "You are third in the queue."
say callback-offer en-gb "To be called back instead of waiting, press 1."
say recording-notice-inbound en-gb "This call is recorded for training and quality."
say recording-notice-outbound en-gb "This call from Northwind is recorded for training."
# A user's own
say dana-voicemail en-gb "This is Dana Whitfield. Please leave me a message."
say dana-voicemail-drop en-gb "Hello, this is Dana from Northwind, returning your call."
