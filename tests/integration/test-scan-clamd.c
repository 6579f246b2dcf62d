/* tests/integration/test-scan-clamd.c — the scan module against a real clamd (Debian's, started
 * through tests/lib/clamd.sh with the project's test signatures and heuristic alerts on).
 * Owns: verdicts for clean, EICAR, zipped, tar.gz'd and encrypted files by FILDES (the unix
 * socket's default) and by INSTREAM (TCP, instream:), the size limits (MaxFileSize by FILDES,
 * StreamMaxLength by INSTREAM), a clamd without AlertExceedsMax (streamed to, never trusted with
 * FILDES), a clamd running as another user reading passed snapshots, the audit log as JSON
 * (checked by python's json), and a stopped scanner.
 * Must not: touch the system clamd; it starts its own in a private dir and kills them by pid. */
#include "config.h"
#include "scan/client.h"
#include "scan/pipeline.h"
#include "scan/snapshot.h"
#include "../unit/tree-remove.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#define STREAM_MAX (2 * 1024 * 1024)   /* the test clamd's StreamMaxLength */
#define FILE_MAX (4 * 1024 * 1024)     /* its MaxFileSize */
#define CHUNK (1024 * 1024)            /* the client's INSTREAM chunk */

static char *work_dir;   /* private temp dir: clamd's config, socket, files to scan */
static char *unix_address;
static char *instream_address; /* the same socket, instream: */
static char *tcp_address;
static pid_t clamd_pid;
static pid_t other_pids[4]; /* clamds started by single tests, killed on abort */

/* ---- clamd ------------------------------------------------------------------------------- */

static const char *srcdir(void)
{
        const char *dir = g_getenv("top_srcdir");
        return dir ? dir : ABS_TOP_SRCDIR;
}

static guint16 free_port(void)
{
        g_autoptr(GSocket) s = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
        g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
        g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
        g_assert_true(g_socket_bind(s, any, FALSE, NULL));
        g_autoptr(GSocketAddress) bound = g_socket_get_local_address(s, NULL);
        return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

/* Runs clamd_start in bash in dir with `env` (shell assignments, exported) and reads back what it
 * exported: pid and addresses (tcp: "none" without CLAMD_TCP_PORT). *skip: clamd is not
 * installed. */
static gboolean clamd_start_in(const char *dir, const char *env, pid_t *pid, char **unix_addr, char **tcp_addr,
                               char **why, gboolean *skip)
{
        g_autofree char *script = g_strdup_printf(
                ". '%s/tests/lib/clamd.sh' || exit 1\n"
                "clamd_available || { echo 'clamd is not installed (package clamav-daemon)' >&2; exit 77; }\n"
                "export %s\n"
                "clamd_start '%s' >&2 || exit 1\n"
                "echo \"$CLAMD_PID $CLAMD_ADDRESS ${CLAMD_TCP_ADDRESS:-none}\"\n",
                srcdir(), env, dir);
        const char *argv[] = { "/bin/bash", "-c", script, NULL };
        g_autofree char *out = NULL, *err = NULL;
        int status = 0;
        g_autoptr(GError) error = NULL;
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error)) {
                *why = g_strdup(error->message);
                return FALSE;
        }
        if (!g_spawn_check_wait_status(status, NULL)) {
                *skip = WIFEXITED(status) && WEXITSTATUS(status) == 77;
                *why = g_strdup_printf("clamd did not start: %s", err);
                return FALSE;
        }
        g_auto(GStrv) words = g_strsplit(g_strstrip(out), " ", -1);
        g_assert_cmpuint(g_strv_length(words), ==, 3);
        *pid = (pid_t)g_ascii_strtoll(words[0], NULL, 10);
        *unix_addr = g_strdup(words[1]);
        if (tcp_addr)
                *tcp_addr = g_strdup(words[2]);
        return *pid > 0;
}

/* The suite's clamd: small limits, so that both size limits are cheap to cross. */
static gboolean clamd_start(char **why, gboolean *skip)
{
        g_autofree char *env = g_strdup_printf("CLAMD_TCP_PORT=%u CLAMD_EXTRA_CONF=$'StreamMaxLength %d\\nMaxFileSize %d'",
                                               free_port(), STREAM_MAX, FILE_MAX);
        if (!clamd_start_in(work_dir, env, &clamd_pid, &unix_address, &tcp_address, why, skip))
                return FALSE;
        instream_address = g_strconcat("instream:", unix_address, NULL);
        return TRUE;
}

static gboolean process_gone(pid_t pid)
{
        if (kill(pid, 0) < 0 && errno == ESRCH)
                return TRUE;
        g_autofree char *stat_path = g_strdup_printf("/proc/%d/stat", (int)pid);
        g_autofree char *stat = NULL;
        if (!g_file_get_contents(stat_path, &stat, NULL, NULL))
                return TRUE;
        const char *paren = strrchr(stat, ')'); /* "pid (comm) S …": a zombie has exited */
        return paren && paren[1] == ' ' && paren[2] == 'Z';
}

static void stop_pid(pid_t *pid)
{
        if (*pid <= 0)
                return;
        kill(*pid, SIGTERM);
        gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (!process_gone(*pid) && g_get_monotonic_time() < deadline)
                g_usleep(10000);
        if (!process_gone(*pid))
                kill(*pid, SIGKILL);
        *pid = 0;
}

static void clamd_stop(void)
{
        stop_pid(&clamd_pid);
}

/* A failed assertion aborts: do not leave any clamd behind. */
static void on_abort(int sig)
{
        if (clamd_pid > 0)
                kill(clamd_pid, SIGTERM);
        for (gsize i = 0; i < G_N_ELEMENTS(other_pids); i++) {
                if (other_pids[i] > 0)
                        kill(other_pids[i], SIGTERM);
        }
        signal(sig, SIG_DFL);
        raise(sig);
}

/* Another clamd for one test, in work_dir/name; NULL (and the test skipped) when it cannot run.
 * *slot: where its pid is kept for stop_pid() and on_abort(). */
static char *other_clamd(const char *name, const char *env, pid_t *slot)
{
        g_autofree char *dir = g_build_filename(work_dir, name, NULL);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
        g_autofree char *why = NULL;
        gboolean skip = FALSE;
        char *address = NULL;
        if (!clamd_start_in(dir, env, slot, &address, NULL, &why, &skip)) {
                g_test_skip(why);
                return NULL;
        }
        return address;
}

/* ---- files ------------------------------------------------------------------------------- */

static GBytes *eicar(void)
{
        /* the EICAR test string, kept out of the source by a trivial rotation (each byte minus one) */
        static const char shifted[] = "Y6P\"Q&ABQ\\5]Q[Y65)Q_*8DD*8~%FJDBS.TUBOEBSE.BOUJWJSVT.UFTU.GJMF\"%I,I+";
        char buf[68];
        for (gsize i = 0; i < 68; i++)
                buf[i] = (char)(shifted[i] - 1);
        return g_bytes_new(buf, 68);
}

static char *write_file(const char *name, const void *data, gsize len)
{
        char *path = g_build_filename(work_dir, name, NULL);
        g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
        return path;
}

static char *write_eicar(const char *name)
{
        g_autoptr(GBytes) e = eicar();
        return write_file(name, g_bytes_get_data(e, NULL), g_bytes_get_size(e));
}

static void run_in_work_dir(const char *command)
{
        const char *argv[] = { "/bin/sh", "-c", command, NULL };
        int status = 0;
        g_autofree char *err = NULL;
        g_assert_true(g_spawn_sync(work_dir, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                                   &err, &status, NULL));
        if (!g_spawn_check_wait_status(status, NULL))
                g_error("“%s” failed: %s", command, err);
}

static ScanVerdict *scan_snapshot(const char *address, const char *path, gint64 memfd_limit, const char *tmpdir)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(address, &error);
        g_assert_no_error(error);
        scan_client_set_timeout_ms(client, 10000);
        g_autoptr(ScanSnapshot) snapshot = scan_snapshot_take_with_limit(path, tmpdir, memfd_limit, &error);
        g_assert_no_error(error);
        ScanVerdict *v = scan_client_scan_fd(client, snapshot->fd, snapshot->size);
        g_test_message("%s via %s: %s %s%s [%s]", path, address, scan_verdict_kind_name(v->kind),
                       v->signature ? v->signature : "", v->reason ? v->reason : "", v->reply ? v->reply : "");
        return v;
}

static ScanVerdict *scan_path(const char *address, const char *path)
{
        return scan_snapshot(address, path, SCAN_SNAPSHOT_MEMFD_LIMIT, work_dir);
}

/* The reply says how the file went: "fd[N]: …" for FILDES, "stream: …" for INSTREAM. */
static void assert_sent_by(const ScanVerdict *v, const char *reply_prefix)
{
        g_assert_nonnull(v->reply);
        g_assert_true(g_str_has_prefix(v->reply, reply_prefix));
}

static void assert_eicar_found(ScanVerdict *v)
{
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_true(g_str_has_prefix(v->signature, "Clamftp.Test.EICAR."));
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_MALWARE);
}

static guint8 *pattern(gsize len)
{
        guint8 *buf = g_malloc(len);
        for (gsize i = 0; i < len; i++)
                buf[i] = (guint8)(i * 31 + (i >> 12));
        return buf;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_ping_version(void)
{
        g_autoptr(ScanClient) client = scan_client_new(unix_address, NULL);
        g_autoptr(GError) error = NULL;
        g_assert_true(scan_client_ping(client, &error));
        g_assert_no_error(error);
        g_autofree char *version = scan_client_version(client, &error);
        g_assert_no_error(error);
        g_assert_true(g_str_has_prefix(version, "ClamAV "));
}

static void test_clean_is_ok(void)
{
        g_autofree char *path = write_file("clean.txt", "just some text\n", 15);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        assert_sent_by(v, "fd[");
        /* larger than StreamMaxLength (FILDES does not stream), within MaxFileSize; memfd and spool */
        gsize len = STREAM_MAX + CHUNK;
        g_autofree guint8 *buf = pattern(len);
        g_autofree char *big = write_file("clean.bin", buf, len);
        g_autoptr(ScanVerdict) w = scan_path(unix_address, big);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_OK);
        assert_sent_by(w, "fd[");
        g_autoptr(ScanVerdict) x = scan_snapshot(unix_address, big, 0, work_dir);
        g_assert_cmpint(x->kind, ==, SCAN_VERDICT_OK);
        assert_sent_by(x, "fd[");
}

static void test_eicar_found(void)
{
        g_autofree char *path = write_eicar("eicar.com");
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
        assert_sent_by(v, "fd[");
        g_autoptr(ScanVerdict) w = scan_snapshot(unix_address, path, 0, work_dir); /* spooled */
        assert_eicar_found(w);
        assert_sent_by(w, "fd[");
}

static void test_eicar_among_other_bytes_found(void)
{
        g_autoptr(GBytes) e = eicar();
        g_autoptr(GString) s = g_string_new("some text before it\n");
        g_string_append_len(s, g_bytes_get_data(e, NULL), 68);
        g_string_append(s, "\nand after it\n");
        g_autofree char *path = write_file("wrapped.txt", s->str, s->len);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
        assert_sent_by(v, "fd[");
}

static void test_eicar_in_zip_found(void)
{
        g_autofree char *inner = write_eicar("inner.com");
        run_in_work_dir("rm -f eicar.zip && zip -q eicar.zip inner.com");
        g_autofree char *path = g_build_filename(work_dir, "eicar.zip", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
        assert_sent_by(v, "fd[");
        g_autoptr(ScanVerdict) w = scan_path(instream_address, path);
        assert_eicar_found(w);
        assert_sent_by(w, "stream: ");
}

static void test_eicar_in_tar_gz_found(void)
{
        g_autofree char *inner = write_eicar("inner2.com");
        run_in_work_dir("tar czf eicar.tar.gz inner2.com");
        g_autofree char *path = g_build_filename(work_dir, "eicar.tar.gz", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
        assert_sent_by(v, "fd[");
}

static void test_encrypted_zip_not_ok(void)
{
        g_autofree char *inner = write_file("secret.txt", "nothing to see\n", 15);
        run_in_work_dir("rm -f secret.zip && zip -q -P password secret.zip secret.txt");
        g_autofree char *path = g_build_filename(work_dir, "secret.zip", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, !=, SCAN_VERDICT_OK);
        assert_sent_by(v, "fd[");
        g_autoptr(ScanVerdict) w = scan_path(instream_address, path);
        g_assert_cmpint(w->kind, !=, SCAN_VERDICT_OK);
        assert_sent_by(w, "stream: ");
}

/* Over MaxFileSize (and StreamMaxLength): clamd flags it by FILDES (AlertExceedsMax), refuses
 * the stream by INSTREAM; never OK, and never INFECTED: a file not scanned is an ERROR of class
 * LIMIT, the detection's name kept. */
static void test_over_max_file_size_not_ok(void)
{
        gsize len = FILE_MAX + CHUNK;
        g_autofree guint8 *buf = pattern(len);
        g_autofree char *path = write_file("too-big.bin", buf, len);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_true(g_str_has_prefix(v->signature, "Heuristics.Limits.Exceeded"));
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_LIMIT);
        assert_sent_by(v, "fd[");
        g_autoptr(ScanVerdict) w = scan_snapshot(unix_address, path, 0, work_dir); /* spooled */
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(w->reason_class, ==, SCAN_REASON_LIMIT);
        g_autoptr(ScanVerdict) x = scan_path(instream_address, path);
        g_assert_cmpint(x->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(x->reason, "StreamMaxLength"));
        g_assert_cmpint(x->reason_class, ==, SCAN_REASON_LIMIT);
}

static void test_over_stream_max_is_error(void)
{
        gsize len = STREAM_MAX + 256 * 1024;
        g_autofree guint8 *buf = g_malloc0(len);
        g_autofree char *path = write_file("over-stream.bin", buf, len);
        g_autoptr(ScanVerdict) v = scan_path(instream_address, path);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "StreamMaxLength"));
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, path);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(w->reason, "StreamMaxLength"));
        /* exactly StreamMaxLength is accepted (the quota is cumulative and inclusive) */
        g_autofree char *exact = write_file("exact-stream.bin", buf, STREAM_MAX);
        g_autoptr(ScanVerdict) x = scan_path(tcp_address, exact);
        g_assert_cmpint(x->kind, ==, SCAN_VERDICT_OK);
}

static void test_tcp_address(void)
{
        g_autofree char *clean = write_file("clean-tcp.txt", "fine\n", 5);
        g_autoptr(ScanVerdict) v = scan_path(tcp_address, clean);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        assert_sent_by(v, "stream: ");
        g_autofree char *bad = write_eicar("eicar-tcp.com");
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, bad);
        assert_eicar_found(w);
        assert_sent_by(w, "stream: ");
}

/* INSTREAM in several chunks: clean data, and EICAR cut in two by a chunk boundary. */
static void test_instream_chunks(void)
{
        gsize len = STREAM_MAX - 1000;
        g_autofree guint8 *buf = pattern(len);
        g_autofree char *clean = write_file("chunks-clean.bin", buf, len);
        g_autoptr(GBytes) e = eicar();
        memcpy(buf + CHUNK - 30, g_bytes_get_data(e, NULL), 68);
        g_autofree char *bad = write_file("chunks-eicar.bin", buf, len);
        const char *addresses[] = { tcp_address, instream_address };
        for (gsize i = 0; i < G_N_ELEMENTS(addresses); i++) {
                g_autoptr(ScanVerdict) v = scan_path(addresses[i], clean);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                assert_sent_by(v, "stream: ");
                g_autoptr(ScanVerdict) w = scan_path(addresses[i], bad);
                assert_eicar_found(w);
        }
}

/* clamd without AlertExceedsMax answers OK for a file over MaxFileSize it never scanned. The
 * client finds that out before its first FILDES and streams instead, so StreamMaxLength still
 * refuses what is too large. */
static void test_clamd_without_alerts_gets_streams(void)
{
        g_autofree char *env = g_strdup_printf("CLAMD_EXTRA_CONF=$'AlertExceedsMax no\\nStreamMaxLength %d\\nMaxFileSize %d'",
                                               STREAM_MAX, FILE_MAX);
        g_autofree char *address = other_clamd("no-alerts", env, &other_pids[0]);
        if (!address)
                return;
        gsize len = FILE_MAX + CHUNK;
        g_autofree guint8 *buf = pattern(len);
        g_autofree char *path = write_file("too-big-no-alerts.bin", buf, len);
        g_autofree char *clean = write_file("clean-no-alerts.txt", "fine\n", 5);
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        scan_client_set_timeout_ms(client, 10000);
        g_assert_true(scan_client_uses_fildes(client));
        g_autoptr(ScanSnapshot) big = scan_snapshot_take(path, work_dir, NULL);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, big->fd, big->size);
        g_test_message("over MaxFileSize, no alerts: %s %s", scan_verdict_kind_name(v->kind), v->reason);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "StreamMaxLength"));
        g_assert_false(scan_client_uses_fildes(client));
        g_autoptr(ScanSnapshot) small = scan_snapshot_take(clean, work_dir, NULL);
        g_autoptr(ScanVerdict) w = scan_client_scan_fd(client, small->fd, small->size);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_OK);
        assert_sent_by(w, "stream: ");
        stop_pid(&other_pids[0]);
}

/* A system clamd drops to its User; a passed descriptor needs no path permission: clamd as
 * clamav reads root's sealed memfd and 0600 spooled file from a directory it cannot enter. */
static void test_clamd_as_other_user_reads_snapshots(void)
{
        if (geteuid() != 0) {
                g_test_skip("not root: clamd cannot be started as another user here");
                return;
        }
        if (!g_file_test("/etc/passwd", G_FILE_TEST_EXISTS) || system("id -u clamav >/dev/null 2>&1") != 0) {
                g_test_skip("no clamav user (Debian's clamav-base creates it)");
                return;
        }
        g_assert_cmpint(g_chmod(work_dir, 0711), ==, 0); /* clamd may reach its own run dir */
        g_autofree char *address = other_clamd("as-clamav", "CLAMD_USER=clamav", &other_pids[1]);
        if (!address)
                return;
        g_autofree char *private_dir = g_build_filename(work_dir, "private", NULL);
        g_assert_cmpint(g_mkdir(private_dir, 0700), ==, 0);
        g_autoptr(GBytes) e = eicar();
        g_autofree char *bad = g_build_filename(private_dir, "eicar.com", NULL);
        g_assert_true(g_file_set_contents(bad, g_bytes_get_data(e, NULL), 68, NULL));
        g_assert_cmpint(g_chmod(bad, 0600), ==, 0);
        g_autofree char *clean = g_build_filename(private_dir, "clean.txt", NULL);
        g_assert_true(g_file_set_contents(clean, "fine\n", 5, NULL));
        g_autofree char *pid_status = g_strdup_printf("/proc/%d/status", (int)other_pids[1]);
        g_autofree char *status = NULL;
        g_assert_true(g_file_get_contents(pid_status, &status, NULL, NULL));
        const char *uid = strstr(status, "\nUid:");
        g_assert_nonnull(uid);
        g_test_message("clamd's %.*s", (int)strcspn(uid + 1, "\n"), uid + 1);
        g_assert_false(g_str_has_prefix(uid, "\nUid:\t0\t")); /* it really runs as another user */
        const gint64 limits[] = { SCAN_SNAPSHOT_MEMFD_LIMIT, 0 };
        for (gsize i = 0; i < G_N_ELEMENTS(limits); i++) {
                g_autoptr(ScanVerdict) v = scan_snapshot(address, bad, limits[i], private_dir);
                assert_eicar_found(v);
                assert_sent_by(v, "fd[");
                g_autoptr(ScanVerdict) w = scan_snapshot(address, clean, limits[i], private_dir);
                g_assert_cmpint(w->kind, ==, SCAN_VERDICT_OK);
                assert_sent_by(w, "fd[");
        }
        stop_pid(&other_pids[1]);
}

static void test_pipeline_and_audit_json(void)
{
        g_autofree char *log = g_build_filename(work_dir, "audit.jsonl", NULL);
        g_autoptr(ScanAudit) audit = scan_audit_open(log, NULL);
        g_autoptr(ScanClient) client = scan_client_new(unix_address, NULL);
        g_autofree char *clean = write_file("p-clean.txt", "clean \"quoted\" text\n", 20);
        g_autofree char *bad = write_eicar("p \"odd\" name\\.com");
        {
                g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, audit, work_dir, 2);
                scan_pipeline_submit(pipeline, clean);
                scan_pipeline_submit(pipeline, bad);
                scan_pipeline_close(pipeline);
                g_autoptr(ScanResult) first = scan_pipeline_next(pipeline);
                g_autoptr(ScanResult) second = scan_pipeline_next(pipeline);
                g_assert_cmpint(first->verdict->kind, ==, SCAN_VERDICT_OK);
                assert_eicar_found(second->verdict);
                scan_audit_upload(audit, first->snapshot, unix_address, "ftp://127.0.0.1:21", "/in/p-clean.txt",
                                  TRUE, NULL);
        }
        if (!g_file_test("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)) {
                g_test_skip("/usr/bin/python3 is missing: the audit lines cannot be checked by json.loads");
                return;
        }
        const char *check =
                "import hashlib, json, sys\n"
                "lines = open(sys.argv[1], 'rb').read().splitlines(keepends=True)\n"
                "recs = [json.loads(l) for l in lines]\n"
                "assert [r['event'] for r in recs] == ['verdict', 'verdict', 'upload'], recs\n"
                "assert recs[0]['verdict'] == 'OK' and recs[0]['size'] == 20 and len(recs[0]['sha256']) == 64\n"
                "assert recs[0]['reason_class'] is None and list(recs[0])[-2:] == ['reason_class', 'prev']\n"
                "assert recs[0]['prev'] is None\n"
                "assert all(recs[i]['prev'] == hashlib.sha256(lines[i - 1]).hexdigest() for i in (1, 2))\n"
                "assert recs[1]['verdict'] == 'INFECTED' and recs[1]['signature'].startswith('Clamftp.Test.EICAR.')\n"
                "assert recs[1]['reason_class'] == 'malware'\n"
                "assert recs[1]['path'].endswith('p \"odd\" name\\\\.com'), recs[1]['path']\n"
                "assert recs[2]['remote'] == '/in/p-clean.txt' and recs[2]['result'] == 'done'\n"
                "assert recs[2]['sha256'] == recs[0]['sha256']\n";
        const char *argv[] = { "/usr/bin/python3", "-c", check, log, NULL };
        int status = 0;
        g_autofree char *err = NULL;
        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                   &status, NULL));
        if (!g_spawn_check_wait_status(status, NULL))
                g_error("audit log check failed: %s", err);
}

static void test_stopped_scanner_is_error(void)
{
        g_autofree char *path = write_file("after-stop.txt", "fine\n", 5);
        clamd_stop();
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, unix_address));
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_UNREACHABLE);
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, path);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(w->reason_class, ==, SCAN_REASON_UNREACHABLE);
}

static void skip_because(gconstpointer why)
{
        g_test_skip(why);
}

static void fail_because(gconstpointer why)
{
        g_test_message("%s", (const char *)why);
        g_test_fail();
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        work_dir = g_dir_make_tmp("clamftp-scan-clamd-XXXXXX", NULL);
        g_assert_nonnull(work_dir);
        g_autofree char *why = NULL;
        gboolean skip = FALSE;
        if (!clamd_start(&why, &skip)) {
                g_test_add_data_func("/scan/clamd/start", why, skip ? skip_because : fail_because);
                int rc = g_test_run();
                test_tree_remove(work_dir);
                return rc;
        }
        signal(SIGABRT, on_abort);
        signal(SIGTRAP, on_abort);
        g_test_add_func("/scan/clamd/ping-and-version", test_ping_version);
        g_test_add_func("/scan/clamd/fildes/clean-file-is-ok", test_clean_is_ok);
        g_test_add_func("/scan/clamd/fildes/eicar-is-found-by-name", test_eicar_found);
        g_test_add_func("/scan/clamd/fildes/eicar-among-other-bytes-is-found", test_eicar_among_other_bytes_found);
        g_test_add_func("/scan/clamd/fildes/eicar-in-zip-is-found", test_eicar_in_zip_found);
        g_test_add_func("/scan/clamd/fildes/eicar-in-tar-gz-is-found", test_eicar_in_tar_gz_found);
        g_test_add_func("/scan/clamd/fildes/encrypted-zip-is-not-ok", test_encrypted_zip_not_ok);
        g_test_add_func("/scan/clamd/fildes/over-max-file-size-is-not-ok", test_over_max_file_size_not_ok);
        g_test_add_func("/scan/clamd/fildes/clamd-without-alerts-gets-streams", test_clamd_without_alerts_gets_streams);
        g_test_add_func("/scan/clamd/fildes/clamd-as-another-user-reads-snapshots",
                        test_clamd_as_other_user_reads_snapshots);
        g_test_add_func("/scan/clamd/instream/over-stream-max-length-is-error", test_over_stream_max_is_error);
        g_test_add_func("/scan/clamd/instream/tcp-address", test_tcp_address);
        g_test_add_func("/scan/clamd/instream/chunks-clean-and-eicar-across-a-boundary", test_instream_chunks);
        g_test_add_func("/scan/clamd/pipeline-audit-lines-are-json", test_pipeline_and_audit_json);
        g_test_add_func("/scan/clamd/last/stopped-scanner-is-error", test_stopped_scanner_is_error);
        int rc = g_test_run();
        clamd_stop();
        for (gsize i = 0; i < G_N_ELEMENTS(other_pids); i++)
                stop_pid(&other_pids[i]);
        test_tree_remove(work_dir);
        return rc;
}
