#!/usr/bin/env bash
# Makes the demo account's greeting recordings (sandbox/recordings/*.mp3): spoken by espeak-ng,
# encoded by sox as 8 kHz mono MP3 at 8 kbit/s (telephone quality, a few KB each); the hold and
# wait music is sox's own synthesis. Run once; the results are committed, so nothing here runs
# at build or test time. Needs Debian's espeak-ng, sox and libsox-fmt-mp3:
#   apt-get install espeak-ng sox libsox-fmt-mp3
# The words are also the greetings' scripts (what a caller hears), kept with the sandbox's demo.
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() {  # say FILE "words"
    espeak-ng -v en-us -s 150 -p 45 -w "$work/$1.wav" "$2"
    sox "$work/$1.wav" -r 8000 -c 1 -C 8 "$1.mp3" norm -1
}

# The account's own IVR greetings (category 5), one per demo menu; the keys match the menus.
say welcome-to-northwind "Welcome to Northwind Outfitters. For orders and billing, press 1. \
For technical support, press 2. To leave us a message, press 3. To get a link to track your \
order by text message, press 4. To speak to our customer support team, press 0."
say orders-and-billing "Orders and billing. For billing and payments, press 1. For returns and \
exchanges, press 2. To place a new order, press 3. To go back to the main menu, press 9."
say technical-support "Technical support. For hardware and repairs, press 1. For help with \
your products, press 2. To go back to the main menu, press 9."
say hardware-and-repairs "Hardware and repairs. To arrange a repair or a warranty claim, \
press 1. To reach our repair partner, press 2. To go back, press 9. For the main menu, press star."
say sales-welcome "Thank you for calling Northwind Outfitters sales. To place an order, \
press 1. For billing questions, press 2."
say ireland-and-eu-welcome "Welcome to Northwind Outfitters Ireland. For customer support, \
press 1. For support in Spanish, press 2. To leave a message, press 3."
say holiday-closure "Northwind Outfitters is closed for the holidays. To get a text message \
from us, press 1. Or stay on the line to leave a message, and we will call you back."
# The account's other own greetings.
say after-hours-voicemail "You have reached Northwind Outfitters after hours. Please leave \
your name, your number and a short message after the tone, and we will call you back on the \
next business day."
say callback-offer "All our agents are busy. To be called back without losing your place in \
the queue, press 2."
say recording-notice-opt-out "This call may be recorded for training and quality. To opt out \
of the recording, press 3."
say thank-you-for-calling "Thank you for calling. Please listen to the following options."
# Zendesk's default greetings, as this sandbox plays them.
say default-voicemail "Sorry, no one can take your call right now. Please leave a message \
after the tone."
say default-voicemail-off "Sorry, no one can take your call right now. Please call again \
later. Goodbye."
say default-available "Thank you for calling. Please hold while we connect you to an agent."
say default-available-voicemail-off "Thank you for calling. Please hold while we connect you \
to an agent. If no one is free, please call again later."
say default-callback "To be called back when an agent is free, press 2."
say default-callback-confirmation "Thank you. We will call you back at this number as soon as \
an agent is free. You can hang up now."
say default-recording-opt-out "This call will be recorded. To opt out of the recording, press 3."
say default-recording-opt-in "We would like to record this call. To agree to the recording, \
press 3."

# Music: a plucked arpeggio in A minor, eight seconds, for the default and the account's own
# hold and wait music.
music() {  # music FILE NOTE...
    local file="$1"; shift
    local parts=()
    for note in "$@"; do
        sox -n -r 8000 -c 1 "$work/$file-$note.wav" synth 0.5 pluck "$note" fade 0 0.5 0.4
        parts+=("$work/$file-$note.wav")
    done
    sox "${parts[@]}" "$work/$file.wav"
    sox "$work/$file.wav" -r 8000 -c 1 -C 8 "$file.mp3" norm -3
}
music default-hold-music A3 C4 E4 A4 E4 C4 A3 E3 F3 A3 C4 F4 C4 A3 G3 E3
music acoustic-hold-music E3 G3 B3 E4 B3 G3 D3 F#3 A3 D4 A3 F#3 C3 E3 G3 C4
