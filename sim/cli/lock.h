/* lock.h — one writer per output: OUT.lock, flock'ed for as long as a
 * process writes OUT (its parts, its join, its commit).
 *
 * A second process that names the same output is refused at once, told the
 * pid that holds it — not told to --resume or --force, which would break the
 * first. The lock is the kernel's (flock), so a killed writer holds nothing:
 * its stale OUT.lock file blocks no one. The file holds the holder's pid, for
 * the message only. */
#ifndef INCUBSIM_LOCK_H
#define INCUBSIM_LOCK_H

struct lock {
    int  held, fd;
    char path[4200];
};

/* Takes OUT.lock: the first file a writer makes. Returns EXIT_OK;
 * EXIT_INPUT when another process holds it (the message names OUT and its
 * pid); EXIT_RUNTIME when the lock file cannot be made (a missing or
 * unwritable folder: the message names the file and why). */
int  lock_take(struct lock *l, const char *out);
/* Removes the lock file and releases the lock (a zeroed struct: nothing). */
void lock_release(struct lock *l);

#endif
