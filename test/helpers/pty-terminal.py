# Plays a person at a terminal: starts the simulator with its UART on this terminal (--uart
# stdio, on a pty), waits for ready, types what argv[3] says (Python escapes), prints all output.
import os, pty, select, sys, time

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], 'sim/cli.js', '--uart', 'stdio', '--state', sys.argv[2], '--quiet', '--cloud', 'none'])
out = b''
def read_until(marker, timeout=10):
    global out
    deadline = time.time() + timeout
    while marker not in out and time.time() < deadline:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
try:
    read_until(b'ready')
    for key in sys.argv[3].encode().decode('unicode_escape'):
        os.write(fd, key.encode('latin1'))
        time.sleep(0.01)
    read_until(sys.argv[4].encode())
    sys.stdout.write(repr(out) + '\n')
finally:
    os.kill(pid, 9)
