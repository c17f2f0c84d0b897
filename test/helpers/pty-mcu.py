# Plays the MCU on a pty: starts the simulator with --uart <pty>, sends lines, prints what came back.
import os, pty, subprocess, sys, time, tty, select

master, slave = pty.openpty()
tty.setraw(slave)
tty.setraw(master)
sim = subprocess.Popen([sys.argv[1], 'sim/cli.js', '--uart', os.ttyname(slave), '--state', sys.argv[2], '--quiet', '--mqtt-port', '0', '--mqtts-port', '0', '--http-port', '0'] + sys.argv[3:], stdout=subprocess.PIPE, start_new_session=True)
try:
    sys.stdout.write('CLI ' + sim.stdout.readline().decode())
    os.write(master, b'ATE0\r\nAT+TCMODINFOSET?\r\n')
    got = b''
    deadline = time.time() + 10
    while got.count(b'OK\r\n') < 2 and time.time() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            got += os.read(master, 4096)
    sys.stdout.write('UART ' + repr(got) + '\n')
finally:
    os.killpg(sim.pid, 9)
