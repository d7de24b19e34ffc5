"""A STARTTLS + AUTH SMTP server for the mail tests (Debian python3-aiosmtpd).

Arguments: cert.pem key.pem port user password outdir. Prints READY once it listens. Recipients
starting with "reject" are refused with 550; every accepted message is written to outdir.
"""
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

cert, key, port, user, password, outdir = sys.argv[1:7]


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        n = len(os.listdir(outdir))
        with open(os.path.join(outdir, "%04d.eml.tmp" % n), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(os.path.join(outdir, "%04d.eml.tmp" % n), os.path.join(outdir, "%04d.eml" % n))
        return "250 2.0.0 Ok: queued as aiosmtpd-%d" % n


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=True, authenticator=authenticate, auth_require_tls=True)
controller.start()
print("READY", flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
