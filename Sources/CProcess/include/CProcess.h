// Starting helper processes from tests without Foundation.Process: tmux forks a server that
// keeps inherited pipes open, and threads of the Swift concurrency pool block signals that a
// child would inherit. This spawns with an empty signal mask, standard streams redirected to
// files, and every other descriptor closed.
#ifndef MARQUEE_CPROCESS_H
#define MARQUEE_CPROCESS_H
#include <sys/types.h>

/// Runs `argv` (NULL-terminated), writing its output to `output_path` (or /dev/null when NULL),
/// waits for it, and returns its exit status (or -1 when it could not start).
int mq_run(char *const argv[], const char *output_path);

/// Starts `argv` in the background the same way; returns its pid, or -1.
pid_t mq_start(char *const argv[], const char *output_path);
#endif
