/* tests/fuzz/fuzz-agent-session.c — a whole clamav-agent session (agent/session.c with the real
 * server, engine and the test signatures of data/signatures) over a unix socketpair, descriptors
 * passed in SCM_RIGHTS. The input is a script of steps (see `step`): raw bytes, bytes carrying
 * descriptors of several kinds, well-formed INSTREAM chunks (some with the EICAR test bytes, made
 * at run time), and reads of what the agent answered. Then the client's side is shut and the
 * replies read to the end. Properties: the session ends (no hang), nothing leaks (LeakSanitizer)
 * and every descriptor it received is closed. SHUTDOWN and QUIT are left out (they stop the
 * server for every later input), and so are SCAN commands naming '/' or "..": path scans stay in
 * a small tree of the scratch directory, the working directory. */
#include "tests/fuzz/fuzz.h"
#include "agent/conf.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/server.h"
#include "agent/session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_SIGNATURES
#error "FUZZ_SIGNATURES: the directory of the test signatures"
#endif

/* The EICAR test file, kept as hex as data/signatures/clamftp-test.ndb keeps it. */
static const char eicar_hex[] =
        "58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152442d414e"
        "544956495255532d544553542d46494c452124482b482a";
static guint8 eicar[68];

static AgentServer *server;

/* LeakSanitizer, for this target only: libclamav keeps an engine's tables in a pool of its own
 * mmap()ed pages, which LeakSanitizer does not scan, so every engine loaded (at start and by
 * RELOAD) looks leaked while it is in use; and its stacks stop inside libclamav (no frame
 * pointers), so only the library's name can match them. clamav-agent's own allocations are
 * still checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
        return "leak:libclamav.so\n";
}

static void make_eicar(void)
{
        for (gsize i = 0; i < sizeof eicar; i++)
                eicar[i] = (guint8)(g_ascii_xdigit_value(eicar_hex[2 * i]) * 16 +
                                    g_ascii_xdigit_value(eicar_hex[2 * i + 1]));
}

static void must(gboolean ok, const char *what, GError *error)
{
        if (ok)
                return;
        fprintf(stderr, "fuzz-agent-session: %s: %s\n", what, error ? error->message : g_strerror(errno));
        abort();
}

static int memfd_with(const void *data, gsize len)
{
        int fd = memfd_create("fuzz", MFD_CLOEXEC);
        must(fd >= 0 && write(fd, data, len) == (ssize_t)len, "memfd", NULL);
        return fd;
}

/* The tree SCAN commands may walk: files, the test file, a directory, a link, a fifo. */
static void make_tree(const char *top)
{
        g_autofree char *tree = g_build_filename(top, "tree", NULL);
        g_autofree char *sub = g_build_filename(tree, "sub", NULL);
        must(g_mkdir_with_parents(sub, 0700) == 0, "tree", NULL);
        g_autofree char *clean = g_build_filename(tree, "clean.txt", NULL);
        g_autofree char *test = g_build_filename(sub, "test.com", NULL);
        g_autofree char *link = g_build_filename(tree, "link", NULL);
        g_autofree char *fifo = g_build_filename(tree, "fifo", NULL);
        must(g_file_set_contents(clean, "hello\n", -1, NULL), "clean.txt", NULL);
        must(g_file_set_contents(test, (const char *)eicar, sizeof eicar, NULL), "test.com", NULL);
        must(symlink("clean.txt", link) == 0 || errno == EEXIST, "link", NULL);
        must(mkfifo(fifo, 0600) == 0 || errno == EEXIST, "fifo", NULL);
        must(chdir(top) == 0, "chdir", NULL);
}

static void set(AgentConf *conf, const char *name, const char *value)
{
        g_autoptr(GError) error = NULL;
        must(agent_conf_set(conf, name, value, &error), name, error);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_glib_strict();
        make_eicar();
        const char *top = fuzz_scratch_dir();
        make_tree(top);
        AgentConf *conf = agent_conf_new();
        g_autofree char *sock = g_build_filename(top, "agent.sock", NULL);
        set(conf, "LocalSocket", sock);
        set(conf, "DatabaseDirectory", FUZZ_SIGNATURES);
        set(conf, "TemporaryDirectory", top);
        set(conf, "StreamMaxLength", "64K");  /* reached by a few chunks */
        set(conf, "StreamMemoryMax", "1K");   /* larger streams go through the spool */
        set(conf, "ReadTimeout", "1");
        set(conf, "CommandReadTimeout", "1");
        set(conf, "SendBufTimeout", "500");
        set(conf, "MaxThreads", "2");
        g_autoptr(GError) error = NULL;
        must(agent_conf_validate(conf, &error), "the settings", error);
        if (!g_getenv("FUZZ_AGENT_LOG"))
                agent_log_detach_stderr();
        must(agent_engine_global_init(&error), "libclamav", error);
        AgentEngine *engine = agent_engine_new(conf, &error);
        must(engine != NULL, "the engine", error);
        server = agent_server_new(conf, engine, &error);
        must(server != NULL, "the server", error);
        return 0;
}

static gboolean skipped(const uint8_t *data, size_t size)
{
        if (g_strstr_len((const char *)data, (gssize)size, "SHUTDOWN") ||
            g_strstr_len((const char *)data, (gssize)size, "QUIT"))
                return TRUE;
        return g_strstr_len((const char *)data, (gssize)size, "SCAN") &&
               (memchr(data, '/', size) || g_strstr_len((const char *)data, (gssize)size, ".."));
}

/* The descriptors open now, but those on /proc: the agent's huge-pages thread, which a reload
 * starts and nobody joins, reads /proc/self/maps for a moment, and may do so while the next
 * input counts (a count made then is one too high, and the session looks as if it closed a
 * descriptor it did not own). A leak of the session's own is a socket, a file or a pipe. */
static guint open_fds(void)
{
        DIR *dir = opendir("/proc/self/fd");
        guint n = 0;
        if (!dir)
                return 0;
        struct dirent *e;
        while ((e = readdir(dir))) {
                char target[64] = "";
                g_autofree char *link = g_strdup_printf("/proc/self/fd/%s", e->d_name);
                ssize_t len = readlink(link, target, sizeof target - 1);
                if (len < 0 || !g_str_has_prefix(target, "/proc/"))
                        n++;
        }
        closedir(dir);
        return n;
}

typedef struct {
        int sock;
        gsize replied;
} Client;

static gpointer session_thread(gpointer data)
{
        agent_session_run(server, GPOINTER_TO_INT(data), TRUE);
        return NULL;
}

/* Reads what is there (or waits up to ms for something); FALSE at the end of the session. */
static gboolean read_replies(Client *c, int ms)
{
        char buf[4096];
        struct pollfd pfd = { c->sock, POLLIN, 0 };
        if (poll(&pfd, 1, ms) <= 0)
                return TRUE;
        ssize_t n = recv(c->sock, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0)
                c->replied += (gsize)n;
        return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

/* Sends len bytes (at least one when fds are passed), reading replies while the agent's side is
 * full. FALSE when the agent closed. */
static gboolean send_bytes(Client *c, const void *data, gsize len, const int *fds, guint nfds)
{
        static const char zero = '\0';
        if (nfds > 0 && len == 0) {
                data = &zero;
                len = 1;
        }
        const char *p = data;
        while (len > 0) {
                struct iovec iov = { (void *)p, len };
                union {
                        char buf[CMSG_SPACE(sizeof(int) * 2)];
                        struct cmsghdr align;
                } control;
                struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
                if (nfds > 0) {
                        memset(&control, 0, sizeof control);
                        msg.msg_control = control.buf;
                        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
                        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
                        cm->cmsg_level = SOL_SOCKET;
                        cm->cmsg_type = SCM_RIGHTS;
                        cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
                        memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
                }
                ssize_t n = sendmsg(c->sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n > 0) {
                        p += n;
                        len -= (gsize)n;
                        nfds = 0; /* the descriptors went with the first byte */
                        continue;
                }
                if (n < 0 && errno != EAGAIN && errno != EINTR)
                        return FALSE;
                if (!read_replies(c, 10))
                        return FALSE;
        }
        return TRUE;
}

/* Descriptors of a kind the input chooses; the caller closes them after sending. */
static guint make_fds(guint8 kind, int fds[2])
{
        int pair[2];
        switch (kind % 8) {
        case 0:
                fds[0] = memfd_with("hello\n", 6);
                return 1;
        case 1:
                fds[0] = memfd_with(eicar, sizeof eicar);
                return 1;
        case 2:
                fds[0] = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                return 1;
        case 3:
                must(pipe2(pair, O_CLOEXEC) == 0, "pipe", NULL);
                close(pair[1]);
                fds[0] = pair[0];
                return 1;
        case 4:
                fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
                return 1;
        case 5:
                must(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0, "socketpair", NULL);
                close(pair[1]);
                fds[0] = pair[0];
                return 1;
        case 6:
                fds[0] = memfd_with("hello\n", 6);
                fds[1] = memfd_with(eicar, sizeof eicar);
                return 2;
        default: {
                int fd = memfd_with(eicar, sizeof eicar);
                g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);
                fds[0] = open(path, O_WRONLY | O_CLOEXEC); /* a descriptor the agent cannot read */
                close(fd);
                return 1;
        }
        }
}

/* One step of the script; returns FALSE when the agent closed. Step byte b:
 *   b % 5 == 0  the next b/5 + 1 bytes, as they are
 *   b % 5 == 1  one byte carrying descriptors of the kind the next byte picks
 *   b % 5 == 2  an INSTREAM chunk of the next byte's count of 'x', length first
 *   b % 5 == 3  an INSTREAM chunk holding the EICAR test bytes (b & 8: a zero chunk after it)
 *   b % 5 == 4  read the replies, waiting up to b/5 ms */
static gboolean step(Client *c, const uint8_t **data, size_t *size)
{
        guint8 b = fuzz_take_byte(data, size);
        switch (b % 5) {
        case 0: {
                gsize n = MIN((gsize)(b / 5 + 1), *size);
                gboolean ok = send_bytes(c, *data, n, NULL, 0);
                *data += n;
                *size -= n;
                return ok;
        }
        case 1: {
                int fds[2];
                guint nfds = make_fds(fuzz_take_byte(data, size), fds);
                gboolean ok = send_bytes(c, "", 0, fds, nfds);
                for (guint i = 0; i < nfds; i++)
                        close(fds[i]);
                return ok;
        }
        case 2: {
                guint8 n = fuzz_take_byte(data, size);
                guint8 chunk[4 + 255];
                guint32 be = GUINT32_TO_BE(n);
                memcpy(chunk, &be, 4);
                memset(chunk + 4, 'x', n);
                return send_bytes(c, chunk, 4 + n, NULL, 0);
        }
        case 3: {
                guint8 chunk[4 + sizeof eicar + 4] = { 0 };
                guint32 be = GUINT32_TO_BE(sizeof eicar);
                memcpy(chunk, &be, 4);
                memcpy(chunk + 4, eicar, sizeof eicar);
                return send_bytes(c, chunk, 4 + sizeof eicar + (b & 8 ? 4 : 0), NULL, 0);
        }
        default:
                return read_replies(c, b / 5);
        }
}

/* One session over a socketpair, the script run, the replies read to the end. */
static void run_session(const uint8_t *data, size_t size)
{
        int pair[2];
        must(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0, "socketpair", NULL);
        GThread *thread = g_thread_new("session", session_thread, GINT_TO_POINTER(pair[1]));
        Client c = { pair[0], 0 };
        while (size > 0 && step(&c, &data, &size))
                ;
        shutdown(c.sock, SHUT_WR);
        gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
        while (read_replies(&c, 100))
                FUZZ_ASSERT(g_get_monotonic_time() < deadline); /* the session must end */
        g_thread_join(thread);
        close(c.sock);
}

/* What libclamav opens once, on its first scans (and keeps), is opened before the first input,
 * so that the descriptor count compares like with like: a FILDES of each kind of file, a stream
 * kept in memory and one spooled to disk. */
static void warm_up(void)
{
        static const uint8_t script[] = {
                0x32, 'z', 'I', 'D', 'S', 'E', 'S', 'S', 'I', 'O', 'N', 0,
                0x23, 'z', 'F', 'I', 'L', 'D', 'E', 'S', 0, 1, 0,
                0x23, 'z', 'F', 'I', 'L', 'D', 'E', 'S', 0, 1, 1,
                0x2d, 'z', 'I', 'N', 'S', 'T', 'R', 'E', 'A', 'M', 0, 8,
                0x2d, 'z', 'I', 'N', 'S', 'T', 'R', 'E', 'A', 'M', 0, 2, 255, 2, 255, 2, 255, 2, 255, 2, 255, 8,
                0x14, 'z', 'E', 'N', 'D', 0,
        };
        run_session(script, sizeof script);
}

static void list_fds(void)
{
        DIR *dir = opendir("/proc/self/fd");
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
                char target[256] = "";
                g_autofree char *link = g_strdup_printf("/proc/self/fd/%s", e->d_name);
                ssize_t n = readlink(link, target, sizeof target - 1);
                fprintf(stderr, "  fd %s -> %s\n", e->d_name, n > 0 ? target : "?");
        }
        if (dir)
                closedir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static gboolean warm;
        if (!warm) {
                warm_up();
                warm = TRUE;
        }
        if (skipped(data, size))
                return 0;
        gboolean count_fds = !g_strstr_len((const char *)data, (gssize)size, "RELOAD");
        guint before = count_fds ? open_fds() : 0;
        run_session(data, size);
        /* a reload this input started ends here, not in the middle of the next input's count */
        agent_server_wait_threads(server, 30);
        /* the agent's own threads (its database check, a reload it started) may hold a descriptor
         * for a moment after the session, longer on a loaded machine: a leaked one is still open
         * once they are done (5 s) */
        for (int i = 0; count_fds && i < 100 && open_fds() != before; i++)
                g_usleep(50 * 1000);
        if (count_fds && open_fds() != before) {
                fprintf(stderr, "descriptors: %u before the session, now:\n", before);
                list_fds();
                FUZZ_ASSERT(open_fds() == before);
        }
        return 0;
}
