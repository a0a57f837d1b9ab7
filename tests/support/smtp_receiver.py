#!/usr/bin/python3
"""A mail server for the tests (Debian's python3-aiosmtpd): accepts every message and records it.

    smtp_receiver.py PORT DIR

Listens on 127.0.0.1:PORT and writes each message it accepts to DIR as NNNNNN.json,
{"mail_from": ..., "rcpt_tos": [...], "data": "the message as received"}, then answers 250.
DIR/ready appears once it listens. It stops on SIGTERM, and by itself after 15 minutes, so a
test that dies cannot leave it behind.
"""

import json
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        partial = os.path.join(self.directory, "%06d.partial" % number)
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(partial, os.path.join(self.directory, "%06d.json" % number))
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port)
    controller.start()
    open(os.path.join(directory, "ready"), "w").close()
    time.sleep(15 * 60)
    controller.stop()


if __name__ == "__main__":
    main()
