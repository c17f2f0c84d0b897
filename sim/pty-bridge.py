# A pty pair for a real Espruino interpreter's Serial1: the slave's name is linked at
# argv[1] (a fixed path the interpreter's boot code can name across restarts); "PTY\n" on
# stdout says it is ready, then stdin is copied to the master and the master to stdout.
import os, pty, select, sys, tty

master, slave = pty.openpty()
tty.setraw(master)
tty.setraw(slave)
link = sys.argv[1]
if os.path.lexists(link):
    os.unlink(link)
os.symlink(os.ttyname(slave), link)
os.write(1, b'PTY\n')
while True:
    ready = select.select([0, master], [], [])[0]
    if 0 in ready:
        data = os.read(0, 4096)
        if not data:
            break
        os.write(master, data)
    if master in ready:
        data = os.read(master, 4096)
        if data:
            os.write(1, data)
