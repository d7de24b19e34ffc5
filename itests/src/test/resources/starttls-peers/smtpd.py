"""An SMTP server offering STARTTLS (Debian's python3-aiosmtpd). Arguments: cert.pem key.pem port."""
import signal
import ssl
import sys

from aiosmtpd.controller import Controller

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(sys.argv[1], sys.argv[2])
controller = Controller(object(), hostname="127.0.0.1", port=int(sys.argv[3]), tls_context=context,
                        require_starttls=True)
controller.start()
print("READY", flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
