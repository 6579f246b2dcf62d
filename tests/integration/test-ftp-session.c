/* tests/integration/test-ftp-session.c — the FTP session engine against real servers (pyftpdlib
 * with MLSD, vsftpd without) and against scripted servers that misbehave on purpose.
 * Must not: leave servers running or files outside its private temp dirs. */
#include "config.h"
#include "ftp/session.h"
#include "ftp/ascii.h"
#include "ftpd-fixture.h"
#include "scripted-ftpd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static const FtpTimeouts test_timeouts = { .connect_ms = 5000, .reply_ms = 5000, .data_ms = 5000 };

/* ---- helpers ---- */

static void collect_trace(const char *line, gpointer data)
{
        g_ptr_array_add(data, g_strdup(line));
}

static guint trace_count(GPtrArray *trace, const char *prefix)
{
        guint n = 0;
        for (guint i = 0; i < trace->len; i++)
                n += g_str_has_prefix(g_ptr_array_index(trace, i), prefix);
        return n;
}

static FtpSession *session_new(GPtrArray *trace)
{
        FtpSession *s = ftp_session_new();
        ftp_session_set_timeouts(s, &test_timeouts);
        ftp_session_set_tls(s, FTP_TLS_OFF, FALSE); /* plain FTP here; TLS has its own tests */
        if (trace)
                ftp_session_set_trace(s, collect_trace, trace);
        return s;
}

static FtpSession *login(const Ftpd *f, GPtrArray *trace)
{
        FtpSession *s = session_new(trace);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_connect(s, "127.0.0.1", f->port, &error));
        g_assert_no_error(error);
        g_assert_true(ftp_session_login(s, f->user, f->password, NULL, &error));
        g_assert_no_error(error);
        return s;
}

#define SKIP_IF_DOWN(f)                            \
        do {                                       \
                if ((f)->skip_reason) {            \
                        g_test_skip((f)->skip_reason); \
                        return;                    \
                }                                  \
        } while (0)

/* A private temporary file holding `len` bytes (or empty), opened read-write. */
static int temp_fd(const char *data, gsize len)
{
        char path[] = "/tmp/clamftp-session-file-XXXXXX";
        int fd = mkstemp(path);
        g_assert_cmpint(fd, >=, 0);
        unlink(path);
        if (len)
                g_assert_cmpint(write(fd, data, len), ==, (gssize)len);
        return fd;
}

static GBytes *fd_contents(int fd)
{
        off_t end = lseek(fd, 0, SEEK_END);
        g_assert_cmpint(end, >=, 0);
        char *buf = g_malloc(end + 1);
        g_assert_cmpint(pread(fd, buf, end, 0), ==, end);
        return g_bytes_new_take(buf, end);
}

static void assert_bytes_equal(GBytes *got, const char *want, gsize want_len)
{
        g_assert_nonnull(got);
        gsize len = 0;
        const char *data = g_bytes_get_data(got, &len);
        g_assert_cmpmem(data, len, want, want_len);
}

static char *random_bytes(gsize len)
{
        char *buf = g_malloc(len);
        GRand *rand = g_rand_new_with_seed(4711);
        for (gsize i = 0; i < len; i++)
                buf[i] = (char)g_rand_int_range(rand, 0, 256);
        g_rand_free(rand);
        memcpy(buf, "\r\n\xff\xff\r", 5); /* bytes a text or Telnet layer would touch */
        return buf;
}

typedef struct {
        guint calls;
        guint64 last_done;
} ProgressSeen;

static void on_progress(guint64 done, gint64 total, gpointer data)
{
        ProgressSeen *seen = data;
        seen->calls++;
        seen->last_done = done;
}

/* ---- against real servers ---- */

static void test_login_good(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = login(f, NULL);
        g_assert_true(ftp_session_is_logged_in(s));
        g_assert_cmpstr(ftp_session_cwd(s), ==, "/");
        g_assert_cmpint(ftp_session_has_feature(s, "MLSD"), ==, f->has_mlsd);
        g_assert_true(ftp_session_noop(s, NULL));
        ftp_session_quit(s);
        g_assert_false(ftp_session_is_connected(s));
}

static void test_login_bad_password(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = session_new(NULL);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_connect(s, "127.0.0.1", f->port, &error));
        g_assert_false(ftp_session_login(s, f->user, "wrong password", NULL, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_LOGIN);
        g_assert_nonnull(strstr(error->message, "530"));
        g_assert_nonnull(strstr(error->message, f->user));
        g_assert_false(ftp_session_is_logged_in(s));
}

static void test_directories(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = login(f, NULL);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_mkdir(s, "dirs", &error));
        g_assert_true(ftp_session_cwd_to(s, "dirs", &error));
        g_assert_cmpstr(ftp_session_cwd(s), ==, "/dirs");
        g_assert_true(ftp_session_mkdir(s, "sub dir", &error));
        g_assert_true(ftp_session_rmdir(s, "sub dir", &error));
        g_assert_true(ftp_session_cdup(s, &error));
        g_autofree char *pwd = ftp_session_pwd(s, &error);
        g_assert_cmpstr(pwd, ==, "/");
        ftpd_put_file(f, "dirs/old.txt", "x", 1);
        g_assert_true(ftp_session_rename(s, "dirs/old.txt", "dirs/new.txt", &error));
        g_autoptr(GBytes) moved = ftpd_get_file(f, "dirs/new.txt");
        assert_bytes_equal(moved, "x", 1);
        g_assert_true(ftp_session_delete(s, "dirs/new.txt", &error));
        g_autoptr(GBytes) gone = ftpd_get_file(f, "dirs/new.txt");
        g_assert_null(gone);
        g_assert_true(ftp_session_rmdir(s, "dirs", &error));
        g_assert_no_error(error);
        g_assert_false(ftp_session_cwd_to(s, "no-such-dir", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_REFUSED);
        g_assert_true(ftp_session_is_connected(s));
}

static gboolean has_entry(GPtrArray *entries, const char *name, FtpEntryType type, gint64 size)
{
        for (guint i = 0; i < entries->len; i++) {
                const FtpEntry *e = g_ptr_array_index(entries, i);
                if (g_strcmp0(e->name, name) == 0 && e->type == type && (size < 0 || e->size == size))
                        return TRUE;
        }
        return FALSE;
}

static void test_listings(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = login(f, trace);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_mkdir(s, "ls", &error));
        g_assert_true(ftp_session_mkdir(s, "ls/sub", &error));
        ftpd_put_file(f, "ls/one file.txt", "hello", 5);

        g_autoptr(GPtrArray) entries = ftp_session_list(s, "ls", &error);
        g_assert_no_error(error);
        g_assert_cmpuint(entries->len, ==, 2);
        g_assert_true(has_entry(entries, "one file.txt", FTP_ENTRY_FILE, 5));
        g_assert_true(has_entry(entries, "sub", FTP_ENTRY_DIR, -1));
        g_assert_cmpuint(trace_count(trace, f->has_mlsd ? "--> MLSD" : "--> LIST"), ==, 1);

        g_assert_true(ftp_session_cwd_to(s, "ls", &error));
        g_autoptr(GPtrArray) here = ftp_session_list(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_true(has_entry(here, "one file.txt", FTP_ENTRY_FILE, 5));

        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(names->len, ==, 2);
        g_assert_true(g_ptr_array_find_with_equal_func(names, "one file.txt", g_str_equal, NULL));
        g_assert_true(g_ptr_array_find_with_equal_func(names, "sub", g_str_equal, NULL));

        g_autofree char *raw = ftp_session_list_raw(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_nonnull(strstr(raw, "one file.txt"));
        g_assert_null(strchr(raw, '\r'));
}

static void test_size_mdtm(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = login(f, trace);
        g_autofree char *content = random_bytes(1234);
        ftpd_put_file(f, "sized.bin", content, 1234);
        g_autoptr(GError) error = NULL;
        ftp_session_set_type(s, FTP_TYPE_ASCII);
        gint64 size = -1, mtime = -1;
        g_assert_true(ftp_session_size(s, "sized.bin", &size, &error));
        g_assert_no_error(error);
        g_assert_cmpint(size, ==, 1234);
        g_assert_cmpuint(trace_count(trace, "--> TYPE I"), ==, 1); /* SIZE is asked in binary mode */
        g_assert_true(ftp_session_mdtm(s, "sized.bin", &mtime, &error));
        g_assert_no_error(error);
        gint64 now = g_get_real_time() / G_USEC_PER_SEC;
        g_assert_cmpint(ABS(now - mtime), <, 24 * 3600);
        g_assert_false(ftp_session_size(s, "missing.bin", &size, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_REFUSED);
}

static void stor_retr(const Ftpd *f, gboolean passive)
{
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = login(f, trace);
        ftp_session_set_passive(s, passive);
        const gsize len = 3 * 1024 * 1024 + 17;
        g_autofree char *content = random_bytes(len);
        const char *name = passive ? "passive.bin" : "active.bin";
        g_autoptr(GError) error = NULL;

        int up = temp_fd(content, len);
        ProgressSeen seen = { 0 };
        g_assert_true(ftp_session_stor(s, name, up, (gint64)len, on_progress, &seen, &error));
        g_assert_no_error(error);
        close(up);
        g_assert_cmpuint(seen.last_done, ==, len);
        g_autoptr(GBytes) on_server = ftpd_get_file(f, name);
        assert_bytes_equal(on_server, content, len);

        int down = temp_fd(NULL, 0);
        guint64 written = 0;
        g_assert_true(ftp_session_retr(s, name, down, 0, (gint64)len, NULL, NULL, &written, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(written, ==, len);
        g_autoptr(GBytes) got = fd_contents(down);
        close(down);
        assert_bytes_equal(got, content, len);

        g_assert_cmpuint(trace_count(trace, "--> TYPE"), ==, 1); /* cached across transfers */
        g_assert_cmpuint(trace_count(trace, passive ? "--> EPSV" : "--> EPRT"), ==, 2);
}

static void test_stor_retr_passive(gconstpointer data)
{
        SKIP_IF_DOWN((const Ftpd *)data);
        stor_retr(data, TRUE);
}

static void test_stor_retr_active(gconstpointer data)
{
        SKIP_IF_DOWN((const Ftpd *)data);
        stor_retr(data, FALSE);
}

static void test_retr_resume(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = login(f, NULL);
        const gsize len = 300000, offset = 100000;
        g_autofree char *content = random_bytes(len);
        ftpd_put_file(f, "resume.bin", content, len);
        int down = temp_fd(content, offset); /* the part a cut transfer left behind */
        guint64 written = 0;
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_retr(s, "resume.bin", down, offset, len, NULL, NULL, &written, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(written, ==, len - offset);
        g_autoptr(GBytes) got = fd_contents(down);
        close(down);
        assert_bytes_equal(got, content, len);
}

static void test_ascii(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = login(f, NULL);
        g_autoptr(GError) error = NULL;
        ftp_session_set_type(s, FTP_TYPE_ASCII);

        static const char text[] = "one\ntwo\r\nthree\n";
        int up = temp_fd(text, strlen(text));
        g_assert_true(ftp_session_stor(s, "up.txt", up, strlen(text), NULL, NULL, &error));
        g_assert_no_error(error);
        close(up);
        /* on the wire it was "one\r\ntwo\r\nthree\r\n"; pyftpdlib stores its native LF form */
        g_autoptr(GBytes) stored = ftpd_get_file(f, "up.txt");
        const char *want = f->converts_ascii ? "one\ntwo\nthree\n" : "one\r\ntwo\r\nthree\r\n";
        assert_bytes_equal(stored, want, strlen(want));

        static const char crlf[] = "x\r\ny\r\n";
        ftpd_put_file(f, "down.txt", crlf, strlen(crlf));
        int down = temp_fd(NULL, 0);
        g_assert_true(ftp_session_retr(s, "down.txt", down, 0, -1, NULL, NULL, NULL, &error));
        g_assert_no_error(error);
        g_autoptr(GBytes) got = fd_contents(down);
        close(down);
        /* vsftpd sends the stored CRLF as is, pyftpdlib normalises line ends first: LF either way */
        assert_bytes_equal(got, "x\ny\n", 4);

        ftp_session_set_type(s, FTP_TYPE_BINARY);
        int raw = temp_fd(NULL, 0);
        g_assert_true(ftp_session_retr(s, "down.txt", raw, 0, -1, NULL, NULL, NULL, &error));
        g_autoptr(GBytes) bytes = fd_contents(raw);
        close(raw);
        assert_bytes_equal(bytes, crlf, strlen(crlf));
}

static void test_ctrl_refused(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = login(f, trace);
        ftpd_put_file(f, "keep.txt", "k", 1);
        guint sent = trace_count(trace, "-->");
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_session_cwd_to(s, "x\r\nDELE keep.txt", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT);
        g_clear_error(&error);
        g_assert_false(ftp_session_rename(s, "keep.txt", "y\nDELE keep.txt", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT);
        g_clear_error(&error);
        int fd = temp_fd(NULL, 0);
        g_assert_false(ftp_session_retr(s, "keep.txt\r\nQUIT", fd, 0, -1, NULL, NULL, NULL, &error));
        close(fd);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT);
        g_assert_cmpuint(trace_count(trace, "-->"), ==, sent); /* nothing at all was sent */
        g_assert_true(ftp_session_noop(s, NULL));
        g_autoptr(GBytes) kept = ftpd_get_file(f, "keep.txt");
        assert_bytes_equal(kept, "k", 1);
}

static void cancel_at_end(guint64 done, gint64 total, gpointer data)
{
        guint64 one = 1;
        if ((gint64)done == total)
                g_assert_cmpint(write(GPOINTER_TO_INT(data), &one, sizeof one), ==, sizeof one);
}

/* Cancelled while the final 226 is on its way: that late reply must not answer the next command. */
static void test_cancel_before_final_reply(gconstpointer data)
{
        const Ftpd *f = data;
        SKIP_IF_DOWN(f);
        g_autoptr(FtpSession) s = login(f, NULL);
        int cancel = eventfd(0, EFD_CLOEXEC);
        ftp_session_set_cancel_fd(s, cancel);
        const gsize len = 200000;
        g_autofree char *content = random_bytes(len);
        int up = temp_fd(content, len);
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_session_stor(s, "late.bin", up, len, cancel_at_end, GINT_TO_POINTER(cancel), &error));
        close(up);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CANCELLED);
        g_clear_error(&error);
        guint64 count;
        g_assert_cmpint(read(cancel, &count, sizeof count), ==, sizeof count); /* the worker resets it */
        g_autofree char *pwd = ftp_session_pwd(s, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(pwd, ==, "/");
        g_autoptr(GBytes) stored = ftpd_get_file(f, "late.bin");
        assert_bytes_equal(stored, content, len);
        close(cancel);
}

/* ---- against scripted servers ---- */

static FtpSession *scripted_session(ScriptedFtpd *server, GError **error)
{
        FtpSession *s = session_new(NULL);
        if (ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), error))
                ftp_session_login(s, "u", "p", NULL, error);
        return s;
}

static void assert_script_ok(ScriptedFtpd *server)
{
        g_autofree char *failure = scripted_ftpd_finish(server);
        g_assert_cmpstr(failure, ==, NULL);
}

static void script_greeting_120(ScriptedConn *c, gpointer data)
{
        if (!scripted_send(c, "120 ready in a moment\r\n"))
                return;
        scripted_login(c, "");
}

static void test_greeting_120_then_220(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_greeting_120, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = session_new(trace);
        g_assert_true(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_true(ftp_session_login(s, "u", "secret-pw", NULL, &error));
        g_assert_no_error(error);
        g_assert_true(ftp_session_is_logged_in(s));
        g_assert_cmpuint(trace_count(trace, "--> PASS ****"), ==, 1);
        for (guint i = 0; i < trace->len; i++)
                g_assert_null(strstr(g_ptr_array_index(trace, i), "secret-pw"));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void script_send_and_close(ScriptedConn *c, gpointer data)
{
        scripted_send(c, data);
}

static void test_greeting_421(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_send_and_close, "421 Too many connections from your IP\r\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CLOSED);
        g_assert_nonnull(strstr(error->message, "Too many connections"));
        g_assert_false(ftp_session_is_connected(s));
        assert_script_ok(server);
}

static void test_greeting_500_oops(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_send_and_close,
                                                   "500 OOPS: vsftpd: refusing to run with writable root\r\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CONNECT);
        g_assert_nonnull(strstr(error->message, "OOPS: vsftpd: refusing"));
        g_assert_false(ftp_session_is_connected(s));
        assert_script_ok(server);
}

/* Each script_* below is a dialogue: a table of steps (what the client sends, what the server
 * answers; see ScriptedStep) played after the login or in its place. */
static void script_preauth(ScriptedConn *c, gpointer data)
{
        static const ScriptedStep steps[] = {
                { NULL, "230 already logged in\r\n", NULL },
                { "FEAT", "211-Features:\r\n UTF8\r\n211 End\r\n", NULL },
                { "OPTS UTF8 ON", "200 ok\r\n", NULL },
                { "PWD", "257 \"/home\"\r\n", NULL },
                SCRIPTED_END
        };
        scripted_play(c, steps);
}

static void test_greeting_230_preauthenticated(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_preauth, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        g_assert_true(ftp_session_is_logged_in(s));
        g_assert_cmpstr(ftp_session_cwd(s), ==, "/home");
        assert_script_ok(server);
}

/* Plays `data` (a table) after a plain login. */
static void script_login_then(ScriptedConn *c, gpointer data)
{
        if (scripted_login(c, ""))
                scripted_play(c, data);
}

static const ScriptedStep dialogue_421_in_session[] = {
        { "CWD somewhere", "421 Idle timeout, closing control connection\r\n", NULL },
        SCRIPTED_END
};

static void test_421_mid_session(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_421_in_session);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        g_assert_false(ftp_session_cwd_to(s, "somewhere", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CLOSED);
        g_assert_nonnull(strstr(error->message, "421 Idle timeout"));
        g_assert_nonnull(strstr(error->message, "`open`"));
        g_assert_false(ftp_session_is_connected(s));
        g_clear_error(&error);
        g_assert_false(ftp_session_noop(s, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED);
        assert_script_ok(server);
}

static void script_endless_greeting(ScriptedConn *c, gpointer data)
{
        gint64 give_up = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
        gulong pause_us = GPOINTER_TO_UINT(data);
        while (g_get_monotonic_time() < give_up && scripted_send(c, "220-still greeting you\r\n"))
                if (pause_us)
                        g_usleep(pause_us); /* a slow drip, on purpose */
}

static void test_endless_greeting_hits_cap(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_endless_greeting, GUINT_TO_POINTER(0));
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_PROTOCOL);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 4 * G_USEC_PER_SEC);
        g_assert_false(ftp_session_is_connected(s));
        assert_script_ok(server);
}

static void test_endless_greeting_hits_deadline(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_endless_greeting, GUINT_TO_POINTER(50 * 1000));
        g_autoptr(FtpSession) s = ftp_session_new();
        FtpTimeouts quick = { .connect_ms = 2000, .reply_ms = 600, .data_ms = 2000 };
        ftp_session_set_timeouts(s, &quick);
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        g_assert_false(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_TIMEOUT);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        g_assert_false(ftp_session_is_connected(s));
        assert_script_ok(server);
}

/* The 227 points elsewhere (10.9.8.7): the data connection must still come to the control peer. */
static const ScriptedStep dialogue_pasv_elsewhere[] = {
        { "EPSV", "502 no EPSV here\r\n", NULL },
        { "PASV", "227 Entering Passive Mode (10,9,8,7,{p1},{p2}).\r\n", NULL },
        { "NLST", "150 here it comes\r\n", "a\r\nb\r\n" },
        { NULL, "226 done\r\n", NULL },
        { "PASV", "227 Entering Passive Mode (10,9,8,7,{p1},{p2}).\r\n", NULL }, /* EPSV's failure is remembered */
        { "NLST", "150 here it comes\r\n", "c\r\n" },
        { NULL, "226 done\r\n", NULL },
        SCRIPTED_END
};

static void test_pasv_address_ignored(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_pasv_elsewhere);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_autoptr(GPtrArray) first = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(first->len, ==, 2);
        g_assert_cmpstr(g_ptr_array_index(first, 1), ==, "b");
        g_autoptr(GPtrArray) second = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(second->len, ==, 1);
        assert_script_ok(server);
}

/* data: a port nobody listens on, for the 229. */
static void script_epsv_port_refused(ScriptedConn *c, gpointer data)
{
        g_autofree char *dead = g_strdup_printf("229 (|||%u|)\r\n", GPOINTER_TO_UINT(data));
        const ScriptedStep steps[] = {
                { "EPSV", dead, NULL },
                { "PASV", "229 Entering Extended Passive Mode (!!!{port}!)\r\n", NULL },
                { "NLST", "150 here it comes\r\n", "z\r\n" },
                { NULL, "226 done\r\n", NULL },
                SCRIPTED_END
        };
        if (scripted_login(c, ""))
                scripted_play(c, steps);
}

static void test_epsv_unreachable_falls_back_to_pasv(void)
{
        guint16 dead_port = ftpd_free_port(); /* nobody listens there */
        ScriptedFtpd *server = scripted_ftpd_start(script_epsv_port_refused, GUINT_TO_POINTER(dead_port));
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(names->len, ==, 1);
        g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "z");
        assert_script_ok(server);
}

static const ScriptedStep dialogue_227_to_epsv[] = {
        { "EPSV", "227 Entering Passive Mode 127,0,0,1,{p1},{p2}\r\n", NULL },
        { "NLST", "150 here it comes\r\n", "y\r\n" },
        { NULL, "226 done\r\n", NULL },
        SCRIPTED_END
};

static void test_227_accepted_for_epsv(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_227_to_epsv);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(names->len, ==, 1);
        assert_script_ok(server);
}

static const ScriptedStep dialogue_421_during_retr[] = {
        { "TYPE I", "200 binary\r\n", NULL },
        { "EPSV", "229 (|||{port}|)\r\n", NULL },
        { "RETR f", "150 sending\r\n", "abc" },
        { NULL, "421 Service shutting down\r\n", NULL },
        SCRIPTED_END
};

static void test_421_during_retr(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_421_during_retr);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        int fd = temp_fd(NULL, 0);
        guint64 written = 0;
        g_assert_false(ftp_session_retr(s, "f", fd, 0, -1, NULL, NULL, &written, &error));
        close(fd);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CLOSED);
        g_assert_nonnull(strstr(error->message, "421 Service shutting down"));
        g_assert_cmpuint(written, ==, 3);
        g_assert_false(ftp_session_is_connected(s));
        assert_script_ok(server);
}

static void script_active_foreign(ScriptedConn *c, gpointer data)
{
        if (!scripted_login(c, ""))
                return;
        g_autofree char *eprt = scripted_read_line(c);
        guint port = 0;
        if (!eprt || sscanf(eprt, "EPRT |1|127.0.0.1|%u|", &port) != 1) {
                scripted_fail(c, "expected EPRT on 127.0.0.1, got “%s”", eprt ? eprt : "(nothing)");
                return;
        }
        static const ScriptedStep steps[] = {
                { NULL, "200 ok\r\n", NULL },
                { "NLST", NULL, NULL },
                SCRIPTED_END
        };
        if (!scripted_play(c, steps))
                return;
        int foreign = scripted_data_connect("127.0.0.2", (guint16)port);
        scripted_send(c, "150 opening\r\n");
        char byte;
        if (foreign < 0 || recv(foreign, &byte, 1, 0) != 0) /* the client must hang up on a stranger */
                scripted_fail(c, "the connection from 127.0.0.2 was not closed by the client");
        if (foreign >= 0)
                close(foreign);
        int fd = scripted_data_connect("127.0.0.1", (guint16)port);
        scripted_data_send(fd, "mine\r\n", 6);
        close(fd);
        scripted_send(c, "226 done\r\n");
}

static void test_active_rejects_foreign_peer(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_active_foreign, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        ftp_session_set_passive(s, FALSE);
        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(names->len, ==, 1);
        g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "mine");
        assert_script_ok(server);
}

/* Plays `data` (a table) from the greeting on. */
static void script_play(ScriptedConn *c, gpointer data)
{
        scripted_play(c, data);
}

static const ScriptedStep dialogue_stray_reply[] = {
        { NULL, "220 hi\r\n", NULL },
        { "USER", "230 in\r\n", NULL },
        { "FEAT", "500 no\r\n", NULL },
        { "PWD", "257 \"/\"\r\n226 a stray reply nobody asked for\r\n", NULL },
        { "NOOP", "200 in step again\r\n", NULL },
        { "PWD", "257 \"/right\"\r\n", NULL },
        SCRIPTED_END
};

static void test_stray_reply_resynchronises(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_play, (gpointer)dialogue_stray_reply);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        g_autofree char *pwd = ftp_session_pwd(s, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(pwd, ==, "/right");
        assert_script_ok(server);
}

static const ScriptedStep dialogue_ctrl_chars[] = {
        { "NOOP", "200 ok\r\n", NULL }, /* the refused CWD never reached us */
        SCRIPTED_END
};

static void test_ctrl_chars_send_nothing(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_ctrl_chars);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_false(ftp_session_cwd_to(s, "a\r\nDELE x", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT);
        g_clear_error(&error);
        g_assert_null(ftp_session_command(s, "NOOP\r\nDELE x", &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT);
        g_assert_true(ftp_session_noop(s, NULL));
        assert_script_ok(server);
}

typedef struct {
        const char *body;   /* what the data connection carries before it closes */
        const char *final;  /* the reply after it */
} CutScript;

static void script_cut_download(ScriptedConn *c, gpointer data)
{
        const CutScript *cut = data;
        const ScriptedStep steps[] = {
                { "TYPE I", "200 binary\r\n", NULL },
                { "EPSV", "229 Entering Extended Passive Mode (|||{port}|)\r\n", NULL },
                { "RETR big", "150 sending\r\n", cut->body },
                { NULL, cut->final, NULL },
                SCRIPTED_END
        };
        if (scripted_login(c, ""))
                scripted_play(c, steps);
}

static void run_cut_download(const CutScript *cut, gint64 expected_size)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_cut_download, (gpointer)cut);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        int fd = temp_fd(NULL, 0);
        guint64 written = 0;
        g_assert_false(ftp_session_retr(s, "big", fd, 0, expected_size, NULL, NULL, &written, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_DATA);
        g_assert_cmpuint(written, ==, strlen(cut->body));
        g_autoptr(GBytes) kept = fd_contents(fd);
        close(fd);
        assert_bytes_equal(kept, cut->body, strlen(cut->body));
        assert_script_ok(server);
}

static void test_cut_download_error_reply(void)
{
        static const CutScript cut = { "first part", "426 Connection closed; transfer aborted.\r\n" };
        run_cut_download(&cut, -1);
}

static void test_cut_download_short_of_size(void)
{
        static const CutScript cut = { "only this", "226 Transfer complete.\r\n" };
        run_cut_download(&cut, 5000);
}

/* After an interrupted transfer: ABOR answered as vsftpd does, and the session goes on. */
static const ScriptedStep dialogue_abor[] = {
        { "ABOR", "426 aborted\r\n226 ABOR ok\r\n", NULL },
        { "PWD", "257 \"/still\"\r\n", NULL },
        SCRIPTED_END
};

/* How a server answers ABOR: `first` at once, then `late` after `delay_ms` (NULL: nothing). */
typedef struct {
        const char *first;
        guint delay_ms;
        const char *late;
} AborAnswer;

static const AborAnswer abor_as_vsftpd = { "426 aborted\r\n226 ABOR ok\r\n", 0, NULL };
/* the transfer ended as the data connection closed: its 226 at once, ABOR's own answer late */
static const AborAnswer abor_second_late = { "226 Transfer complete.\r\n", 1200, "225 No transfer to ABOR.\r\n" };
/* a slow server: both answers after the client stopped waiting for them */
static const AborAnswer abor_both_late = { NULL, 3600, "426 aborted\r\n226 ABOR ok\r\n" };
/* a server that answers ABOR with one reply only */
static const AborAnswer abor_single = { "226 ABOR ok\r\n", 0, NULL };

static void play_abor(ScriptedConn *c, const AborAnswer *answer)
{
        if (!scripted_expect(c, "ABOR"))
                return;
        if (answer->first && !scripted_send(c, answer->first))
                return;
        if (answer->late) {
                g_usleep(answer->delay_ms * 1000);
                if (!scripted_send(c, answer->late))
                        return;
        }
        static const ScriptedStep pwd[] = { { "PWD", "257 \"/still\"\r\n", NULL }, SCRIPTED_END };
        scripted_play(c, pwd);
}

static void script_abort(ScriptedConn *c, gpointer data)
{
        static const ScriptedStep steps[] = {
                { "TYPE I", "200 binary\r\n", NULL },
                { "EPSV", "229 (|||{port}|)\r\n", NULL },
                { "RETR endless", "150 sending\r\n", NULL },
                SCRIPTED_END
        };
        if (!scripted_login(c, "") || !scripted_play(c, steps))
                return;
        int fd = scripted_play_accept(c);
        g_autofree char *chunk = g_malloc0(64 * 1024);
        gint64 give_up = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
        while (fd >= 0 && g_get_monotonic_time() < give_up && scripted_data_send(fd, chunk, 64 * 1024))
                ; /* until the client closes the data connection */
        if (fd >= 0)
                close(fd);
        play_abor(c, data);
}

static void cancel_on_progress(guint64 done, gint64 total, gpointer data)
{
        guint64 one = 1;
        g_assert_cmpint(write(GPOINTER_TO_INT(data), &one, sizeof one), ==, sizeof one);
}

/* data: the AborAnswer the server gives; the PWD after it must get its own reply whenever the
 * answers come */
static void test_cancel_sends_abor(gconstpointer data)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_abort, (gpointer)data);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        int cancel = eventfd(0, EFD_CLOEXEC);
        ftp_session_set_cancel_fd(s, cancel);
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        g_assert_false(ftp_session_retr(s, "endless", fd, 0, -1, cancel_on_progress, GINT_TO_POINTER(cancel), NULL,
                                        &error));
        close(fd);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CANCELLED);
        g_clear_error(&error);
        close(cancel);
        ftp_session_set_cancel_fd(s, -1);
        g_assert_true(ftp_session_is_connected(s));
        g_autofree char *pwd = ftp_session_pwd(s, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(pwd, ==, "/still");
        assert_script_ok(server);
}

/* A plain upload the server stops reading after the 150 (its receive buffer fills): the client
 * must still notice a cancel or its idle deadline while the kernel sends the file (sendfile),
 * send ABOR, and stay in step. */
static void script_stalled_upload(ScriptedConn *c, gpointer data)
{
        static const ScriptedStep steps[] = {
                { "TYPE I", "200 binary\r\n", NULL },
                { "EPSV", "229 (|||{port}|)\r\n", NULL },
                { "STOR stalled.bin", "150 Ok to send data.\r\n", NULL },
                SCRIPTED_END
        };
        if (!scripted_login(c, "") || !scripted_play(c, steps))
                return;
        int fd = scripted_play_accept(c); /* and never read from */
        scripted_play(c, dialogue_abor);
        if (fd >= 0)
                close(fd);
}

static void cancel_once(guint64 done, gint64 total, gpointer data)
{
        guint64 one = 1;
        g_assert_cmpint(write(GPOINTER_TO_INT(data), &one, sizeof one), ==, sizeof one);
}

/* data: TRUE to cancel from the first progress report, FALSE to wait for the idle deadline. */
static void test_stalled_upload_ends(gconstpointer data)
{
        gboolean cancel = GPOINTER_TO_INT(data);
        ScriptedFtpd *server = scripted_ftpd_start(script_stalled_upload, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        FtpTimeouts short_idle = test_timeouts;
        short_idle.data_ms = 300;
        ftp_session_set_timeouts(s, &short_idle);
        int cancel_fd = eventfd(0, EFD_CLOEXEC);
        ftp_session_set_cancel_fd(s, cancel_fd);
        int fd = temp_fd(NULL, 0);
        const gint64 size = 256 * 1024 * 1024; /* sparse: far more than the socket buffers hold */
        g_assert_cmpint(ftruncate(fd, size), ==, 0);
        gint64 start = g_get_monotonic_time();
        g_assert_false(ftp_session_stor(s, "stalled.bin", fd, size, cancel ? cancel_once : NULL,
                                        GINT_TO_POINTER(cancel_fd), &error));
        close(fd);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        if (cancel)
                g_assert_error(error, FTP_ERROR, FTP_ERROR_CANCELLED);
        else
                g_assert_error(error, FTP_ERROR, FTP_ERROR_TIMEOUT);
        g_clear_error(&error);
        ftp_session_set_cancel_fd(s, -1);
        close(cancel_fd);
        g_autofree char *pwd = ftp_session_pwd(s, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(pwd, ==, "/still");
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

/* A server stalled as a whole: it stops reading the upload and answers nothing, ABOR included;
 * the client reads nothing after ABOR until it closes the session. */
static void script_stalled_silent(ScriptedConn *c, gpointer data)
{
        static const ScriptedStep steps[] = {
                { "TYPE I", "200 binary\r\n", NULL },
                { "EPSV", "229 (|||{port}|)\r\n", NULL },
                { "STOR stalled.bin", "150 Ok to send data.\r\n", NULL },
                SCRIPTED_END
        };
        if (!scripted_login(c, "") || !scripted_play(c, steps))
                return;
        int fd = scripted_play_accept(c); /* and never read from */
        if (scripted_expect(c, "ABOR")) {
                g_autofree char *after = scripted_read_line(c); /* EOF: the client let go */
                if (after)
                        scripted_fail(c, "the client sent %s after an unanswered ABOR, not expected", after);
        }
        if (fd >= 0)
                close(fd);
}

/* The data connection idle and ABOR unanswered: the server stalled, so the session is dropped
 * (a batch reconnects and goes on) within the data deadline and ABOR's wait, with the data
 * timeout as the error. */
static void test_stalled_server_drops_session(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_stalled_silent, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        FtpTimeouts quick = test_timeouts;
        quick.data_ms = 300;
        quick.reply_ms = 600;
        ftp_session_set_timeouts(s, &quick);
        int fd = temp_fd(NULL, 0);
        const gint64 size = 256 * 1024 * 1024; /* sparse: far more than the socket buffers hold */
        g_assert_cmpint(ftruncate(fd, size), ==, 0);
        gint64 start = g_get_monotonic_time();
        g_assert_false(ftp_session_stor(s, "stalled.bin", fd, size, NULL, NULL, &error));
        close(fd);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_TIMEOUT);
        g_assert_false(ftp_session_is_connected(s));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

/* ---- TLS policy against scripted servers (no TLS server needed: each case ends before TLS) ---- */

/* The greeting (`data`), then AUTH TLS answered by `reply`; records a failure if USER or PASS
 * arrives afterwards. */
typedef struct {
        const char *greeting;
        const char *auth_reply;
} AuthScript;

static void script_auth_then_watch(ScriptedConn *c, gpointer data)
{
        const AuthScript *a = data;
        const ScriptedStep steps[] = {
                { NULL, a->greeting, NULL },
                { "AUTH TLS", a->auth_reply, NULL },
                SCRIPTED_END
        };
        if (!scripted_play(c, steps))
                return;
        g_autofree char *next = scripted_read_line(c);
        if (next && (g_str_has_prefix(next, "USER") || g_str_has_prefix(next, "PASS")))
                scripted_fail(c, "the client sent “%s” on a plain connection", next);
}

static FtpSession *tls_session(FtpTlsPolicy policy)
{
        FtpSession *s = session_new(NULL);
        ftp_session_set_tls(s, policy, FALSE);
        return s;
}

static void run_require_refused(const AuthScript *a)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_auth_then_watch, (gpointer)a);
        g_autoptr(FtpSession) s = tls_session(FTP_TLS_REQUIRE);
        g_autoptr(GError) error = NULL;
        if (ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error))
                ftp_session_login(s, "u", "secret", NULL, &error);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_TLS);
        g_assert_nonnull(strstr(error->message, "TLS is required"));
        g_assert_false(ftp_session_is_logged_in(s));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void test_require_auth_refused(void)
{
        static const AuthScript a = { "220 plain only\r\n", "534 Policy forbids TLS\r\n" };
        run_require_refused(&a);
}

static void test_require_auth_not_understood(void)
{
        static const AuthScript a = { "220 old server\r\n", "500 AUTH not understood\r\n" };
        run_require_refused(&a);
}

static void test_require_preauthenticated_still_needs_tls(void)
{
        static const AuthScript a = { "230 already logged in\r\n", "502 no TLS here\r\n" };
        run_require_refused(&a);
}

static const ScriptedStep dialogue_auto_falls_back[] = {
        { NULL, "220 plain only\r\n", NULL },
        { "AUTH TLS", "502 not here\r\n", NULL },
        { "USER u", "331 pw\r\n", NULL },
        { "PASS ", "230 ok\r\n", NULL },
        { "FEAT", "211 End\r\n", NULL },
        { "PWD", "257 \"/\"\r\n", NULL },
        SCRIPTED_END
};

static void test_auto_goes_on_in_plain_when_refused(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_play, (gpointer)dialogue_auto_falls_back);
        g_autoptr(FtpSession) s = tls_session(FTP_TLS_AUTO);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_true(ftp_session_login(s, "u", "p", NULL, &error));
        g_assert_no_error(error);
        g_assert_false(ftp_session_is_tls(s));
        g_autofree char *summary = ftp_session_security_summary(s);
        g_assert_nonnull(strstr(summary, "password was sent in clear"));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void script_off_never_asks(ScriptedConn *c, gpointer data)
{
        scripted_login(c, "");
}

static void test_off_never_sends_auth(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_off_never_asks, NULL);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = session_new(trace);
        ftp_session_set_tls(s, FTP_TLS_OFF, FALSE);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_true(ftp_session_login(s, "u", "p", NULL, &error));
        g_assert_cmpuint(trace_count(trace, "--> AUTH"), ==, 0);
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void script_pipelined_after_234(ScriptedConn *c, gpointer data)
{
        static const ScriptedStep steps[] = {
                { NULL, "220 hello\r\n", NULL },
                /* an injected "login" in clear, in the same segment as the 234 (CVE-2021-22947) */
                { "AUTH TLS", "234 go ahead\r\n230 fake login\r\n", NULL },
                SCRIPTED_END
        };
        if (!scripted_play(c, steps))
                return;
        g_autofree char *next = scripted_read_line(c);
        if (next)
                scripted_fail(c, "the client went on after bytes pipelined behind 234: “%s”", next);
}

static void test_bytes_after_234_abort(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_pipelined_after_234, NULL);
        g_autoptr(FtpSession) s = tls_session(FTP_TLS_AUTO);
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_TLS);
        g_assert_nonnull(strstr(error->message, "unencrypted bytes"));
        g_assert_false(ftp_session_is_connected(s));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void script_plain_greeting(ScriptedConn *c, gpointer data)
{
        scripted_send(c, "220 plain FTP here\r\n");
        g_autofree char *rest = scripted_read_line(c); /* the ClientHello, unread; wait for the hang-up */
}

static void test_implicit_tls_to_plain_port_fails_fast(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_plain_greeting, NULL);
        g_autoptr(FtpSession) s = session_new(NULL);
        ftp_session_set_tls(s, FTP_TLS_REQUIRE, TRUE);
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        g_assert_false(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_TLS);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

static void test_login_refused_without_tls_under_require(void)
{
        g_autoptr(FtpSession) s = tls_session(FTP_TLS_REQUIRE);
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_session_login(s, "u", "p", NULL, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED);
}

/* ---- TLS data connections against a scripted TLS server ---- */

/* What a TLS script saw, for the test to judge after the client is done. */
typedef struct {
        ScriptedTls *tls;          /* the control certificate */
        ScriptedTls *other;        /* case 21: the data connection shows this one instead */
        gboolean listing;          /* the refused and retried command is LIST, not STOR */
        GBytes *stored;            /* the bytes of the upload the server accepted */
        guint served;              /* transfers served (with 226) */
        guint client_hellos;       /* in the data handshake: 2 means a HelloRetryRequest */
        gboolean close_notify;     /* the accepted upload ended with close_notify */
        guint64 impostor_received; /* bytes the client sent over a data connection with another certificate */
} TlsScript;

/* (TYPE I,) EPSV, `command`, 150: returns the accepted data fd (or -1, with the failure recorded). */
static int open_data(ScriptedConn *c, gboolean binary, const char *command)
{
        static const ScriptedStep type_i[] = {
                { "TYPE I", "200 binary\r\n", NULL },
                SCRIPTED_END
        };
        const ScriptedStep steps[] = {
                { "EPSV", "229 Entering Extended Passive Mode (|||{port}|)\r\n", NULL },
                { command, "150 Here it comes.\r\n", NULL },
                SCRIPTED_END
        };
        if ((binary && !scripted_play(c, type_i)) || !scripted_play(c, steps))
                return -1;
        return scripted_play_accept(c);
}

/* The retried command over a data connection that must resume the control session: an upload is
 * kept, a listing sent; then 226. */
static void serve_resumed(ScriptedConn *c, TlsScript *t)
{
        int fd = open_data(c, !t->listing, t->listing ? "LIST" : "STOR up.bin");
        ScriptedTlsData *d = fd >= 0 ? scripted_data_tls_accept(t->tls, fd, TRUE) : NULL;
        if (fd >= 0 && !d)
                scripted_fail(c, "the data TLS handshake failed");
        if (!d)
                return;
        if (!scripted_data_tls_resumed(d)) {
                scripted_fail(c, "the data connection after the reconnect did not resume the control session");
                scripted_send(c, "522 SSL connection failed; session reuse required\r\n");
                scripted_data_tls_close(d);
                return;
        }
        if (t->listing) {
                static const char listing[] = "-rw-r--r--    1 1000     1000         5 Jan 01 12:00 kept.txt\r\n";
                scripted_data_tls_send(d, listing, strlen(listing));
        } else {
                t->stored = scripted_data_tls_receive(d, &t->close_notify);
        }
        scripted_data_tls_close(d);
        t->served++;
        scripted_send(c, "226 Transfer complete.\r\n");
}

/* vsftpd's require_ssl_reuse: the first data connection cannot resume (the server lost the
 * session), so it is refused with 522 and the whole session dropped; after the client connects
 * again, the data connection resumes and the transfer is served. */
static void script_refuse_unresumed_once(ScriptedConn *c, gpointer data)
{
        TlsScript *t = data;
        if (!scripted_login_tls(c, t->tls))
                return;
        int fd = open_data(c, !t->listing, t->listing ? "LIST" : "STOR up.bin");
        if (fd < 0)
                return;
        ScriptedTlsData *d = scripted_data_tls_accept(t->tls, fd, FALSE);
        if (d && scripted_data_tls_resumed(d))
                scripted_fail(c, "the data connection resumed a session the server never issued");
        scripted_send(c, "522 SSL connection failed; session reuse required: see require_ssl_reuse option in "
                         "vsftpd.conf man page\r\n");
        scripted_data_tls_close(d);
        if (!scripted_accept_next(c) || !scripted_login_tls(c, t->tls))
                return; /* no CWD: the login lands in the directory the session was in */
        serve_resumed(c, t);
}

static FtpSession *tls_scripted_session(ScriptedFtpd *server, const TlsScript *t, int max_version,
                                        GPtrArray *trace, GError **error)
{
        FtpSession *s = session_new(trace);
        ftp_session_set_tls(s, FTP_TLS_REQUIRE, FALSE);
        ftp_session_set_tls_max_version(s, max_version);
        ftp_session_allow_fingerprint(s, scripted_tls_fingerprint(t->tls));
        if (ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), error))
                ftp_session_login(s, "u", "p", NULL, error);
        return s;
}

static void assert_reconnected_once(GPtrArray *trace, const char *command)
{
        g_assert_cmpuint(trace_count(trace, "(reconnecting to retry once"), ==, 1);
        g_assert_cmpuint(trace_count(trace, "--> AUTH TLS"), ==, 2);
        g_assert_cmpuint(trace_count(trace, command), ==, 2);
}

static void test_unresumed_refusal_reconnects_once(gconstpointer data)
{
        int max_version = GPOINTER_TO_INT(data);
        TlsScript t = { .tls = scripted_tls_new("scripted control") };
        ScriptedFtpd *server = scripted_ftpd_start(script_refuse_unresumed_once, &t);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = tls_scripted_session(server, &t, max_version, trace, &error);
        g_assert_no_error(error);
        g_autofree char *bytes = random_bytes(300 * 1024);
        int fd = temp_fd(bytes, 300 * 1024);
        gboolean ok = ftp_session_stor(s, "up.bin", fd, 300 * 1024, NULL, NULL, &error);
        close(fd);
        g_assert_no_error(error);
        g_assert_true(ok);
        assert_reconnected_once(trace, "--> STOR up.bin");
        g_assert_true(ftp_session_data_protected(s));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
        g_assert_cmpuint(t.served, ==, 1); /* the file arrived once */
        assert_bytes_equal(t.stored, bytes, 300 * 1024);
        g_assert_true(t.close_notify);
        g_bytes_unref(t.stored);
        scripted_tls_free(t.tls);
}

static void test_unresumed_listing_reconnects_once(void)
{
        TlsScript t = { .tls = scripted_tls_new("scripted control"), .listing = TRUE };
        ScriptedFtpd *server = scripted_ftpd_start(script_refuse_unresumed_once, &t);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = tls_scripted_session(server, &t, 13, trace, &error);
        g_assert_no_error(error);
        g_autofree char *raw = ftp_session_list_raw(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_nonnull(strstr(raw, "kept.txt"));
        assert_reconnected_once(trace, "--> LIST");
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
        g_assert_cmpuint(t.served, ==, 1);
        scripted_tls_free(t.tls);
}

/* A server that wants P-256 (vsftpd) and sends 226 before it closes the data connection, which
 * it does only after the client's next command: the upload must not wait for that close, and the
 * data connection must offer the control connection's group at once (no HelloRetryRequest). */
static void script_226_before_data_close(ScriptedConn *c, gpointer data)
{
        TlsScript *t = data;
        if (!scripted_login_tls(c, t->tls))
                return;
        int fd = open_data(c, TRUE, "STOR up.bin");
        ScriptedTlsData *d = fd >= 0 ? scripted_data_tls_accept(t->tls, fd, TRUE) : NULL;
        if (!d) {
                scripted_fail(c, "the data TLS handshake failed");
                return;
        }
        t->client_hellos = scripted_data_tls_client_hellos(d);
        t->stored = scripted_data_tls_receive(d, &t->close_notify);
        t->served++;
        static const ScriptedStep steps[] = {
                { NULL, "226 Transfer complete.\r\n", NULL },
                { "NOOP", "200 NOOP ok.\r\n", NULL },
                SCRIPTED_END
        };
        scripted_play(c, steps);
        scripted_data_tls_close(d);
}

static void test_upload_does_not_wait_for_server_close(gconstpointer data)
{
        int max_version = GPOINTER_TO_INT(data);
        TlsScript t = { .tls = scripted_tls_new("scripted control") };
        scripted_tls_set_groups(t.tls, "P-256");
        ScriptedFtpd *server = scripted_ftpd_start(script_226_before_data_close, &t);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = tls_scripted_session(server, &t, max_version, NULL, &error);
        g_assert_no_error(error);
        int fd = temp_fd("small file", 10);
        gint64 start = g_get_monotonic_time();
        g_assert_true(ftp_session_stor(s, "up.bin", fd, 10, NULL, NULL, &error));
        g_assert_no_error(error);
        g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
        close(fd);
        g_assert_true(ftp_session_noop(s, &error));
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
        assert_bytes_equal(t.stored, "small file", 10);
        g_assert_true(t.close_notify);
        if (max_version == 13)
                g_assert_cmpuint(t.client_hellos, ==, 1);
        g_bytes_unref(t.stored);
        scripted_tls_free(t.tls);
}

/* Case 21: the data connection does not resume and shows a certificate other than the one the
 * user accepted for the control connection (someone else answered on the passive port). */
static void script_impostor_on_data(ScriptedConn *c, gpointer data)
{
        TlsScript *t = data;
        if (!scripted_login_tls(c, t->tls))
                return;
        int fd = open_data(c, TRUE, "STOR secret.bin");
        ScriptedTlsData *d = fd >= 0 ? scripted_data_tls_accept(t->other, fd, FALSE) : NULL;
        if (d) {
                gboolean close_notify = FALSE;
                g_autoptr(GBytes) got = scripted_data_tls_receive(d, &close_notify);
                t->impostor_received = g_bytes_get_size(got);
                scripted_data_tls_close(d);
        }
        static const ScriptedStep steps[] = {
                { "ABOR", "426 Failure writing network stream.\r\n226 ABOR ok\r\n", NULL },
                { "NOOP", "200 NOOP ok.\r\n", NULL },
                SCRIPTED_END
        };
        scripted_play(c, steps);
}

static void test_data_certificate_must_match_control(gconstpointer data)
{
        int max_version = GPOINTER_TO_INT(data);
        TlsScript t = { .tls = scripted_tls_new("scripted control"), .other = scripted_tls_new("impostor") };
        ScriptedFtpd *server = scripted_ftpd_start(script_impostor_on_data, &t);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = tls_scripted_session(server, &t, max_version, trace, &error);
        g_assert_no_error(error);
        int fd = temp_fd("not for the impostor", 20);
        g_assert_false(ftp_session_stor(s, "secret.bin", fd, 20, NULL, NULL, &error));
        close(fd);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CERTIFICATE);
        g_assert_nonnull(strstr(error->message, "showed another certificate"));
        g_assert_nonnull(strstr(error->message, scripted_tls_fingerprint(t.other)));
        g_assert_cmpuint(trace_count(trace, "(reconnecting"), ==, 0);
        g_clear_error(&error);
        g_assert_true(ftp_session_noop(s, &error)); /* ABOR brought the session back in step */
        g_assert_no_error(error);
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
        g_assert_cmpuint(t.impostor_received, ==, 0);
        scripted_tls_free(t.tls);
        scripted_tls_free(t.other);
}

/* ---- TYPE A conversion, pure ---- */

static void test_ascii_cr_at_buffer_boundary(void)
{
        FtpAsciiDecoder dec = { 0 };
        char out[16];
        gsize n = ftp_ascii_decode(&dec, "ab\r", 3, out);
        n += ftp_ascii_decode(&dec, "\ncd\r", 4, out + n);
        n += ftp_ascii_decode(&dec, "x\r", 2, out + n);
        n += ftp_ascii_decode_finish(&dec, out + n);
        g_assert_cmpmem(out, n, "ab\ncd\rx\r", 8);

        FtpAsciiEncoder enc = { 0 };
        char wire[16];
        gsize m = ftp_ascii_encode(&enc, "a\r", 2, wire);
        m += ftp_ascii_encode(&enc, "\nb\n", 3, wire + m);
        g_assert_cmpmem(wire, m, "a\r\nb\r\n", 6);
}

/* ---- the control connection watched while data flows; where passive replies may point ---- */

/* Reads a slow upload's first 64 KiB, then says 421 without reading on or closing the data. */
static void script_421_during_slow_stor(ScriptedConn *c, gpointer data)
{
        if (!scripted_login(c, ""))
                return;
        int fd = open_data(c, TRUE, "STOR up.bin");
        if (fd < 0)
                return;
        char buf[4096];
        gsize got = 0;
        while (got < 64 * 1024) {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n <= 0)
                        break;
                got += (gsize)n;
        }
        g_usleep(300 * 1000);
        scripted_send(c, "421 Timeout, closing control connection.\r\n");
        g_autofree char *after = scripted_read_line(c); /* NULL once the client closes */
        if (after)
                scripted_fail(c, "the client sent “%s” after the 421", after);
        close(fd);
}

static void test_421_during_slow_stor(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_421_during_slow_stor, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_assert_no_error(error);
        int fd = temp_fd(NULL, 0);
        g_assert_cmpint(ftruncate(fd, 64 * 1024 * 1024), ==, 0); /* more than the sockets can hold */
        gint64 start = g_get_monotonic_time();
        g_assert_false(ftp_session_stor(s, "up.bin", fd, 64 * 1024 * 1024, NULL, NULL, &error));
        gint64 took_ms = (g_get_monotonic_time() - start) / 1000;
        close(fd);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CLOSED);
        g_assert_nonnull(strstr(error->message, "421"));
        g_assert_false(ftp_session_is_connected(s));
        /* 300 ms of the server's pause, not the 5 s data timeout */
        g_assert_cmpint(took_ms, <, 1500);
        ftp_session_free(g_steal_pointer(&s));
        assert_script_ok(server);
}

/* The 226 before the data: kept, and the download completes at the data EOF. */
static void script_226_before_data(ScriptedConn *c, gpointer data)
{
        if (!scripted_login(c, ""))
                return;
        int fd = open_data(c, TRUE, "RETR f");
        if (fd < 0)
                return;
        scripted_send(c, "226 Transfer complete.\r\n");
        g_usleep(100 * 1000);
        scripted_data_send(fd, "hello", 5);
        close(fd);
        static const ScriptedStep steps[] = {
                { "NOOP", "200 ok\r\n", NULL }, /* in step: the 226 answered the RETR, not the NOOP */
                SCRIPTED_END
        };
        scripted_play(c, steps);
}

static void test_226_before_data_completes(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_226_before_data, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        int fd = temp_fd(NULL, 0);
        guint64 written = 0;
        g_assert_true(ftp_session_retr(s, "f", fd, 0, 5, NULL, NULL, &written, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(written, ==, 5);
        close(fd);
        g_assert_true(ftp_session_noop(s, &error));
        g_assert_no_error(error);
        assert_script_ok(server);
}

/* EPSV names port 21, then PASV port 25: both refused, nothing connected, the session usable. */
static const ScriptedStep dialogue_privileged_ports[] = {
        { "EPSV", "229 Entering Extended Passive Mode (|||21|)\r\n", NULL },
        { "PASV", "227 Entering Passive Mode (127,0,0,1,0,25).\r\n", NULL },
        { "NOOP", "200 ok\r\n", NULL },
        SCRIPTED_END
};

static void test_privileged_ports_refused(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_privileged_ports);
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpSession) s = scripted_session(server, &error);
        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_null(names);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_DATA);
        g_assert_nonnull(strstr(error->message, "port 25"));
        g_assert_nonnull(strstr(error->message, "privileged"));
        g_clear_error(&error);
        g_assert_true(ftp_session_noop(s, &error));
        assert_script_ok(server);
}

/* trust_pasv_address on, and a NATed server that answers 0.0.0.0: the control peer is used. */
static const ScriptedStep dialogue_pasv_unspecified[] = {
        { "EPSV", "502 no EPSV here\r\n", NULL },
        { "PASV", "227 Entering Passive Mode (0,0,0,0,{p1},{p2}).\r\n", NULL },
        { "NLST", "150 here it comes\r\n", "a\r\n" },
        { NULL, "226 done\r\n", NULL },
        SCRIPTED_END
};

static void test_trusted_unspecified_pasv_address_is_peer(void)
{
        ScriptedFtpd *server = scripted_ftpd_start(script_login_then, (gpointer)dialogue_pasv_unspecified);
        g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(FtpSession) s = session_new(trace);
        ftp_session_set_trust_pasv_address(s, TRUE);
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_session_connect(s, "127.0.0.1", scripted_ftpd_port(server), &error));
        g_assert_true(ftp_session_login(s, "u", "p", NULL, &error));
        g_autoptr(GPtrArray) names = ftp_session_nlst(s, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(names->len, ==, 1);
        g_assert_cmpuint(trace_count(trace, "(the address in the 227 reply is ignored"), ==, 1);
        assert_script_ok(server);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        signal(SIGPIPE, SIG_IGN); /* as clamftp does: a TLS write to a closed socket is an error, not a signal */
        g_test_add_func("/ftp/ascii/cr-at-buffer-boundary", test_ascii_cr_at_buffer_boundary);
        g_test_add_func("/ftp/session/tls/require-refused-auth-sends-no-user", test_require_auth_refused);
        g_test_add_func("/ftp/session/tls/require-auth-not-understood-sends-no-user", test_require_auth_not_understood);
        g_test_add_func("/ftp/session/tls/require-230-at-greeting-still-needs-tls",
                        test_require_preauthenticated_still_needs_tls);
        g_test_add_func("/ftp/session/tls/auto-goes-on-in-plain-when-refused", test_auto_goes_on_in_plain_when_refused);
        g_test_add_func("/ftp/session/tls/off-never-sends-auth", test_off_never_sends_auth);
        g_test_add_func("/ftp/session/tls/bytes-pipelined-after-234-abort", test_bytes_after_234_abort);
        g_test_add_func("/ftp/session/tls/implicit-to-plain-port-fails-fast", test_implicit_tls_to_plain_port_fails_fast);
        g_test_add_func("/ftp/session/tls/login-before-connect-refused", test_login_refused_without_tls_under_require);
        g_test_add_data_func("/ftp/session/tls/tls1.3/unresumed-data-refused-reconnects-once", GINT_TO_POINTER(13),
                             test_unresumed_refusal_reconnects_once);
        g_test_add_data_func("/ftp/session/tls/tls1.2/unresumed-data-refused-reconnects-once", GINT_TO_POINTER(12),
                             test_unresumed_refusal_reconnects_once);
        g_test_add_func("/ftp/session/tls/tls1.3/unresumed-listing-refused-reconnects-once",
                        test_unresumed_listing_reconnects_once);
        g_test_add_data_func("/ftp/session/tls/tls1.3/upload-ends-at-226-and-offers-control-group", GINT_TO_POINTER(13),
                             test_upload_does_not_wait_for_server_close);
        g_test_add_data_func("/ftp/session/tls/tls1.2/upload-ends-at-226-and-offers-control-group", GINT_TO_POINTER(12),
                             test_upload_does_not_wait_for_server_close);
        g_test_add_data_func("/ftp/session/tls/tls1.3/data-certificate-must-match-control", GINT_TO_POINTER(13),
                             test_data_certificate_must_match_control);
        g_test_add_data_func("/ftp/session/tls/tls1.2/data-certificate-must-match-control", GINT_TO_POINTER(12),
                             test_data_certificate_must_match_control);
        g_test_add_func("/ftp/session/scripted/greeting-120-then-220", test_greeting_120_then_220);
        g_test_add_func("/ftp/session/scripted/greeting-421-reported", test_greeting_421);
        g_test_add_func("/ftp/session/scripted/greeting-500-oops-reported", test_greeting_500_oops);
        g_test_add_func("/ftp/session/scripted/greeting-230-preauthenticated", test_greeting_230_preauthenticated);
        g_test_add_func("/ftp/session/scripted/421-mid-session-closes", test_421_mid_session);
        g_test_add_func("/ftp/session/scripted/endless-greeting-hits-cap", test_endless_greeting_hits_cap);
        g_test_add_func("/ftp/session/scripted/dripping-greeting-hits-deadline", test_endless_greeting_hits_deadline);
        g_test_add_func("/ftp/session/scripted/pasv-address-ignored", test_pasv_address_ignored);
        g_test_add_func("/ftp/session/scripted/epsv-unreachable-falls-back-to-pasv",
                        test_epsv_unreachable_falls_back_to_pasv);
        g_test_add_func("/ftp/session/scripted/227-accepted-for-epsv", test_227_accepted_for_epsv);
        g_test_add_func("/ftp/session/scripted/421-during-retr-closes", test_421_during_retr);
        g_test_add_func("/ftp/session/scripted/421-during-slow-stor-seen-at-once", test_421_during_slow_stor);
        g_test_add_func("/ftp/session/scripted/226-before-data-kept-until-eof", test_226_before_data_completes);
        g_test_add_func("/ftp/session/scripted/privileged-passive-ports-refused", test_privileged_ports_refused);
        g_test_add_func("/ftp/session/scripted/trusted-0.0.0.0-pasv-goes-to-peer",
                        test_trusted_unspecified_pasv_address_is_peer);
        g_test_add_func("/ftp/session/scripted/active-rejects-foreign-peer", test_active_rejects_foreign_peer);
        g_test_add_func("/ftp/session/scripted/stray-reply-resynchronises", test_stray_reply_resynchronises);
        g_test_add_func("/ftp/session/scripted/ctrl-chars-send-nothing", test_ctrl_chars_send_nothing);
        g_test_add_func("/ftp/session/scripted/cut-download-error-reply", test_cut_download_error_reply);
        g_test_add_func("/ftp/session/scripted/cut-download-short-of-size", test_cut_download_short_of_size);
        g_test_add_data_func("/ftp/session/scripted/cancel-sends-abor", &abor_as_vsftpd, test_cancel_sends_abor);
        g_test_add_data_func("/ftp/session/scripted/abor-second-answer-late", &abor_second_late,
                             test_cancel_sends_abor);
        g_test_add_data_func("/ftp/session/scripted/abor-both-answers-late", &abor_both_late, test_cancel_sends_abor);
        g_test_add_data_func("/ftp/session/scripted/abor-single-answer", &abor_single, test_cancel_sends_abor);
        g_test_add_data_func("/ftp/session/scripted/stalled-upload-cancel-sends-abor", GINT_TO_POINTER(TRUE),
                             test_stalled_upload_ends);
        g_test_add_data_func("/ftp/session/scripted/stalled-upload-idle-deadline-sends-abor", GINT_TO_POINTER(FALSE),
                             test_stalled_upload_ends);
        g_test_add_func("/ftp/session/scripted/stalled-server-silent-abor-drops-session",
                        test_stalled_server_drops_session);

        Ftpd *servers[] = { ftpd_start(FTPD_PYFTPDLIB), ftpd_start(FTPD_VSFTPD) };
        static const struct {
                const char *name;
                GTestDataFunc func;
        } cases[] = {
                { "login-good", test_login_good },
                { "login-bad-password-says-why", test_login_bad_password },
                { "directories", test_directories },
                { "listings-mlsd-or-list-and-nlst", test_listings },
                { "size-in-binary-and-mdtm", test_size_mdtm },
                { "stor-retr-binary-passive", test_stor_retr_passive },
                { "stor-retr-binary-active", test_stor_retr_active },
                { "retr-resumes-at-offset", test_retr_resume },
                { "ascii-converts-line-ends", test_ascii },
                { "ctrl-chars-refused", test_ctrl_refused },
                { "cancel-before-final-reply-stays-in-step", test_cancel_before_final_reply },
        };
        for (guint i = 0; i < G_N_ELEMENTS(servers); i++)
                for (guint j = 0; j < G_N_ELEMENTS(cases); j++) {
                        g_autofree char *path = g_strdup_printf("/ftp/session/%s/%s", servers[i]->name, cases[j].name);
                        g_test_add_data_func(path, servers[i], cases[j].func);
                }
        int rc = g_test_run();
        for (guint i = 0; i < G_N_ELEMENTS(servers); i++)
                ftpd_stop(servers[i]);
        return rc;
}
