"""A throwaway IMAP mailbox: Debian's Dovecot on 127.0.0.1 with one user, in a temporary folder.
For the help desk's poller, tested against a real IMAP server."""

import os
import pwd
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"


@dataclass
class Mailbox:
    host: str
    port: int
    user: str
    password: str

    def config(self) -> dict[str, object]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "folder": "INBOX",
            "ssl": False,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> tuple[Mailbox, subprocess.Popen[bytes]]:
    # Dovecot never runs mail as root: as root it uses its own "dovecot" account, otherwise ours.
    account = pwd.getpwnam("dovecot") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    internal = "dovecot" if os.geteuid() == 0 else account.pw_name
    login = "dovenull" if os.geteuid() == 0 else account.pw_name
    for name in ("run", "state", "home"):
        (folder / name).mkdir(parents=True)
    folder.chmod(0o755)
    folder.parent.chmod(0o755)
    os.chown(folder / "home", account.pw_uid, account.pw_gid)
    (folder / "users").write_text("help:{PLAIN}mailbox-secret\n")
    (folder / "users").chmod(0o644)
    port = _free_port()
    (folder / "dovecot.conf").write_text(
        f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {account.pw_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid={account.pw_uid} gid={account.pw_gid} home={folder}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")], stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Mailbox("127.0.0.1", port, "help", "mailbox-secret"), process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"Dovecot did not start: {(folder / 'dovecot.log').read_text(errors='replace')}")
