"""A process standing in for the background worker: reads one IVR through the Talk client, as
fast as the shared rate budget lets it, until it is stopped (SIGTERM).

    python -m tests.talk.budget_worker IVR_ID      # settings from the environment, as the site

It uses the client exactly as configured by the settings (the budget in the database), so
its calls and the served site's share one budget and one 429 pause.
"""

import sys
import time

import django


def main() -> None:
    django.setup()
    import talk
    from talk.errors import TalkError

    ivr_id = int(sys.argv[1])
    client = talk.get_client()
    print("ready", flush=True)
    while True:
        try:
            client.get_ivr(ivr_id)
        except TalkError:  # the budget is spent (RateLimited) or Zendesk paused us: go on
            time.sleep(0.05)


if __name__ == "__main__":
    main()
