// A pseudo-terminal pair, for the code that drives the real curses backend without a real
// terminal: the bench's P5 (bytes per changed seat) and the terminal tests.
#ifndef MARQUEE_CPTY_H
#define MARQUEE_CPTY_H

/// Opens a pseudo-terminal; the controller end reads what the device end is written.
/// Returns 0, or -1 with errno set.
int mq_openpty(int *controller, int *device);
#endif
