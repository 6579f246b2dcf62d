/* tests/bench/scan-roundtrip-client.c — the timing client of scan-roundtrip.sh: INSTREAM round
 * trips to a clamd-protocol daemon over its unix socket, and the unique files clamscan is given.
 * Owns: generating unique content (xorshift from a seed, so no two scans ever see the same bytes
 * and no verdict cache can answer) outside the timed part, and timing connect → verdict.
 * Must not: start or stop daemons; it only measures.
 *
 *   scan-roundtrip-client stream SIZE COUNT SEED SOCKET…
 *       COUNT rounds; each round scans SIZE fresh bytes on every SOCKET in turn (the order
 *       rotates from round to round, so both daemons see the same machine noise). Prints one
 *       line per scan: "<socket index> <microseconds> <reply>". Exit 1 if a reply is not
 *       "stream: OK" (the content is random: nothing should match).
 *   scan-roundtrip-client fildes SIZE COUNT SEED DIR SOCKET…
 *       as stream, but each scan passes a descriptor (zFILDES and SCM_RIGHTS, as clamftp does on
 *       a unix socket) of a file in DIR written with fresh content before the clock starts (and
 *       unlinked once open). The reply must end in ": OK".
 *   scan-roundtrip-client write SIZE COUNT SEED DIR
 *       writes DIR/f0 … DIR/f<COUNT-1>, SIZE bytes each, unique content.
 * Built by scan-roundtrip.sh with `cc -O2`; chunks of 64 KiB, as clamftp's scanner client sends. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static void fill(unsigned char *buf, size_t size, uint64_t seed)
{
        uint64_t x = seed * 0x9E3779B97F4A7C15ull + 0xD1B54A32D192ED03ull;
        size_t i = 0;
        for (; i + 8 <= size; i += 8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                memcpy(buf + i, &x, 8);
        }
        for (; i < size; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                buf[i] = (unsigned char)x;
        }
}

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static double now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int connect_unix(const char *path, char *reply, size_t cap)
{
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
                snprintf(reply, cap, "connect: %s", strerror(errno));
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        return fd;
}

/* Reads the NUL-terminated verdict and closes fd. */
static int read_reply(int fd, char *reply, size_t cap)
{
        size_t got = 0;
        while (got < cap - 1) {
                ssize_t n = read(fd, reply + got, cap - 1 - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                got += (size_t)n;
                if (memchr(reply, '\0', got))
                        break;
        }
        reply[got] = '\0';
        close(fd);
        return got > 0 ? 0 : -1;
}

/* One FILDES round trip: the command, then one byte carrying the descriptor (clamd refuses
 * ancillary data that comes with the command itself). */
static int fildes(const char *path, int file, char *reply, size_t cap)
{
        int fd = connect_unix(path, reply, cap);
        if (fd < 0)
                return -1;
        if (write_all(fd, "zFILDES", 8) != 0) {
                snprintf(reply, cap, "send: %s", strerror(errno));
                close(fd);
                return -1;
        }
        char byte = 0;
        struct iovec iov = { &byte, 1 };
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        memset(&control, 0, sizeof(control));
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof(control.buf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &file, sizeof(file));
        if (sendmsg(fd, &msg, MSG_NOSIGNAL) != 1) {
                snprintf(reply, cap, "sendmsg: %s", strerror(errno));
                close(fd);
                return -1;
        }
        return read_reply(fd, reply, cap);
}

/* A file in dir with the content of buf, open for reading and already unlinked. */
static int fresh_file(const char *dir, const unsigned char *buf, size_t size)
{
        char path[4096];
        snprintf(path, sizeof(path), "%s/fildes.tmp", dir);
        int w = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (w < 0 || write_all(w, buf, size) != 0 || close(w) != 0)
                return -1;
        int r = open(path, O_RDONLY | O_CLOEXEC);
        unlink(path);
        return r;
}

/* One INSTREAM round trip; reply gets the verdict line. Returns 0 on a complete reply. */
static int instream(const char *path, const unsigned char *data, size_t size, char *reply,
                    size_t cap)
{
        int fd = connect_unix(path, reply, cap);
        if (fd < 0)
                return -1;
        static unsigned char frame[4 + CHUNK];
        if (write_all(fd, "zINSTREAM", 10) != 0)
                goto fail;
        for (size_t off = 0; off < size; off += CHUNK) {
                uint32_t n = (uint32_t)(size - off < CHUNK ? size - off : CHUNK);
                uint32_t be = htonl(n);
                memcpy(frame, &be, 4);
                memcpy(frame + 4, data + off, n);
                if (write_all(fd, frame, 4 + n) != 0)
                        goto fail;
        }
        if (write_all(fd, "\0\0\0\0", 4) != 0)
                goto fail;
        return read_reply(fd, reply, cap);
fail:
        snprintf(reply, cap, "send: %s", strerror(errno));
        close(fd);
        return -1;
}

static int ends_ok(const char *reply)
{
        size_t n = strlen(reply);
        return n >= 4 && strcmp(reply + n - 4, ": OK") == 0;
}

int main(int argc, char **argv)
{
        if (argc < 6) {
                fprintf(stderr, "usage: %s stream SIZE COUNT SEED SOCKET… | fildes SIZE COUNT SEED "
                                "DIR SOCKET… | write SIZE COUNT SEED DIR\n", argv[0]);
                return 2;
        }
        int use_fildes = strcmp(argv[1], "fildes") == 0;
        size_t size = strtoull(argv[2], NULL, 10);
        long count = strtol(argv[3], NULL, 10);
        uint64_t seed = strtoull(argv[4], NULL, 10);
        int first = use_fildes ? 6 : 5;
        int ntargets = argc - first;
        if (ntargets < 1 && strcmp(argv[1], "write") != 0)
                return 2;
        unsigned char *buf = malloc(size ? size : 1);
        if (!buf)
                return 2;
        int bad = 0;
        uint64_t serial = 0;
        for (long i = 0; i < count; i++) {
                if (strcmp(argv[1], "write") == 0) {
                        fill(buf, size, seed * 1000003ull + serial++);
                        char path[4096];
                        snprintf(path, sizeof(path), "%s/f%ld", argv[5], i);
                        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                        if (fd < 0 || write_all(fd, buf, size) != 0 || close(fd) != 0) {
                                perror(path);
                                return 2;
                        }
                        continue;
                }
                for (int k = 0; k < ntargets; k++) {
                        int t = (int)((i + k) % ntargets);
                        fill(buf, size, seed * 1000003ull + serial++);
                        int file = use_fildes ? fresh_file(argv[5], buf, size) : -1;
                        if (use_fildes && file < 0) {
                                perror(argv[5]);
                                return 2;
                        }
                        char reply[512];
                        double t0 = now_us();
                        int rc = use_fildes ? fildes(argv[first + t], file, reply, sizeof(reply))
                                            : instream(argv[first + t], buf, size, reply,
                                                       sizeof(reply));
                        double us = now_us() - t0;
                        if (file >= 0)
                                close(file);
                        printf("%d %.1f %s\n", t, us, reply);
                        fflush(stdout);
                        if (rc != 0 || !ends_ok(reply))
                                bad = 1;
                }
        }
        free(buf);
        return bad;
}
