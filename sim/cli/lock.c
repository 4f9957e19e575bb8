/* lock.c — one writer per output; see lock.h. */
#include "lock.h"
#include "opts.h"
#include "../text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int lock_take(struct lock *l, const char *out)
{
    memset(l, 0, sizeof *l);
    if (text_fmt(l->path, sizeof l->path, "%s.lock", out)) {
        fprintf(stderr, "incubsim: -o %s: path too long\n", out);
        return EXIT_INPUT;
    }
    for (;;) {
        int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            fprintf(stderr, "incubsim: cannot create %s (the lock of -o %s): %s\n", l->path, out,
                    strerror(errno));
            return EXIT_RUNTIME;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char buf[32] = "";
            ssize_t n = e == EWOULDBLOCK ? pread(fd, buf, sizeof buf - 1, 0) : -1;
            long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
            close(fd);
            if (e != EWOULDBLOCK) {
                fprintf(stderr, "incubsim: cannot lock %s: %s\n", l->path, strerror(e));
                return EXIT_RUNTIME;
            }
            if (pid > 0)
                fprintf(stderr, "incubsim: %s is being written by pid %ld (it holds %s); wait "
                        "for it to finish, or stop it, then run again\n", out, pid, l->path);
            else
                fprintf(stderr, "incubsim: %s is being written by another process (it holds "
                        "%s); wait for it to finish, or stop it, then run again\n", out, l->path);
            return EXIT_INPUT;
        }
        /* the file locked must still be the one under the name: its last
         * holder may have removed it between our open and our flock */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino) {
            char pid[32];
            int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
                /* the pid is for messages only: the lock holds without it */
            }
            l->fd = fd;
            l->held = 1;
            return EXIT_OK;
        }
        close(fd);
    }
}

void lock_release(struct lock *l)
{
    if (!l->held)
        return;
    unlink(l->path);   /* while still held: no one can lock this file and think it theirs */
    close(l->fd);
    l->held = 0;
}
