/* tests/integration/test-scan-clamd.c — the scan module against a real clamd (Debian's, started
 * through tests/lib/clamd.sh with the project's test signatures and heuristic alerts on).
 * Owns: verdicts for clean, EICAR, zipped, tar.gz'd and encrypted files, the TCP form, the size
 * limit, the audit log as JSON (checked by python's json), and a stopped scanner.
 * Must not: touch the system clamd; it starts its own in a private dir and kills it by pid. */
#include "config.h"
#include "scan/client.h"
#include "scan/pipeline.h"
#include "scan/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#define STREAM_MAX (2 * 1024 * 1024) /* the test clamd's StreamMaxLength */

static char *work_dir;   /* private temp dir: clamd's config, socket, files to scan */
static char *unix_address;
static char *tcp_address;
static pid_t clamd_pid;

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

/* Runs clamd_start in bash and reads back what it exported. *skip: clamd is not installed. */
static gboolean clamd_start(char **why, gboolean *skip)
{
        guint16 port = free_port();
        g_autofree char *script = g_strdup_printf(
                ". '%s/tests/lib/clamd.sh' || exit 1\n"
                "clamd_available || { echo 'clamd is not installed (package clamav-daemon)' >&2; exit 77; }\n"
                "export CLAMD_TCP_PORT=%u CLAMD_EXTRA_CONF='StreamMaxLength %d'\n"
                "clamd_start '%s' >&2 || exit 1\n"
                "echo \"$CLAMD_PID $CLAMD_ADDRESS $CLAMD_TCP_ADDRESS\"\n",
                srcdir(), port, STREAM_MAX, work_dir);
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
        clamd_pid = (pid_t)g_ascii_strtoll(words[0], NULL, 10);
        unix_address = g_strdup(words[1]);
        tcp_address = g_strdup(words[2]);
        return clamd_pid > 0;
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

static void clamd_stop(void)
{
        if (clamd_pid <= 0)
                return;
        kill(clamd_pid, SIGTERM);
        gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (!process_gone(clamd_pid) && g_get_monotonic_time() < deadline)
                g_usleep(10000);
        if (!process_gone(clamd_pid))
                kill(clamd_pid, SIGKILL);
        clamd_pid = 0;
}

/* A failed assertion aborts: do not leave clamd behind. */
static void on_abort(int sig)
{
        if (clamd_pid > 0)
                kill(clamd_pid, SIGTERM);
        signal(sig, SIG_DFL);
        raise(sig);
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

static ScanVerdict *scan_path(const char *address, const char *path)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(address, &error);
        g_assert_no_error(error);
        scan_client_set_timeout_ms(client, 10000);
        g_autoptr(ScanSnapshot) snapshot = scan_snapshot_take(path, work_dir, &error);
        g_assert_no_error(error);
        ScanVerdict *v = scan_client_scan_fd(client, snapshot->fd, snapshot->size);
        g_test_message("%s: %s %s%s", path, scan_verdict_kind_name(v->kind), v->signature ? v->signature : "",
                       v->reason ? v->reason : "");
        return v;
}

static void assert_eicar_found(ScanVerdict *v)
{
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_true(g_str_has_prefix(v->signature, "Clamftp.Test.EICAR."));
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
        /* several chunks, within StreamMaxLength */
        gsize len = STREAM_MAX - 1000;
        g_autofree guint8 *buf = g_malloc(len);
        for (gsize i = 0; i < len; i++)
                buf[i] = (guint8)(i * 31 + (i >> 12));
        g_autofree char *big = write_file("clean.bin", buf, len);
        g_autoptr(ScanVerdict) w = scan_path(unix_address, big);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_OK);
}

static void test_eicar_found(void)
{
        g_autofree char *path = write_eicar("eicar.com");
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
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
}

static void test_eicar_in_zip_found(void)
{
        g_autofree char *inner = write_eicar("inner.com");
        run_in_work_dir("rm -f eicar.zip && zip -q eicar.zip inner.com");
        g_autofree char *path = g_build_filename(work_dir, "eicar.zip", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
}

static void test_eicar_in_tar_gz_found(void)
{
        g_autofree char *inner = write_eicar("inner2.com");
        run_in_work_dir("tar czf eicar.tar.gz inner2.com");
        g_autofree char *path = g_build_filename(work_dir, "eicar.tar.gz", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        assert_eicar_found(v);
}

static void test_encrypted_zip_not_ok(void)
{
        g_autofree char *inner = write_file("secret.txt", "nothing to see\n", 15);
        run_in_work_dir("rm -f secret.zip && zip -q -P password secret.zip secret.txt");
        g_autofree char *path = g_build_filename(work_dir, "secret.zip", NULL);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, !=, SCAN_VERDICT_OK);
}

static void test_over_stream_max_is_error(void)
{
        gsize len = STREAM_MAX + 256 * 1024;
        g_autofree guint8 *buf = g_malloc0(len);
        g_autofree char *path = write_file("too-big.bin", buf, len);
        g_autoptr(ScanVerdict) v = scan_path(unix_address, path);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "StreamMaxLength"));
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, path);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
}

static void test_tcp_address(void)
{
        g_autofree char *clean = write_file("clean-tcp.txt", "fine\n", 5);
        g_autoptr(ScanVerdict) v = scan_path(tcp_address, clean);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_autofree char *bad = write_eicar("eicar-tcp.com");
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, bad);
        assert_eicar_found(w);
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
                "import json, sys\n"
                "recs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]\n"
                "assert [r['event'] for r in recs] == ['verdict', 'verdict', 'upload'], recs\n"
                "assert recs[0]['verdict'] == 'OK' and recs[0]['size'] == 20 and len(recs[0]['sha256']) == 64\n"
                "assert recs[1]['verdict'] == 'INFECTED' and recs[1]['signature'].startswith('Clamftp.Test.EICAR.')\n"
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
        g_autoptr(ScanVerdict) w = scan_path(tcp_address, path);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
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

static void remove_tree(const char *path)
{
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *child = g_build_filename(path, name, NULL);
                if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
                        remove_tree(child);
                else
                        g_unlink(child);
        }
        g_rmdir(path);
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
                remove_tree(work_dir);
                return rc;
        }
        signal(SIGABRT, on_abort);
        signal(SIGTRAP, on_abort);
        g_test_add_func("/scan/clamd/ping-and-version", test_ping_version);
        g_test_add_func("/scan/clamd/clean-file-is-ok", test_clean_is_ok);
        g_test_add_func("/scan/clamd/eicar-is-found-by-name", test_eicar_found);
        g_test_add_func("/scan/clamd/eicar-among-other-bytes-is-found", test_eicar_among_other_bytes_found);
        g_test_add_func("/scan/clamd/eicar-in-zip-is-found", test_eicar_in_zip_found);
        g_test_add_func("/scan/clamd/eicar-in-tar-gz-is-found", test_eicar_in_tar_gz_found);
        g_test_add_func("/scan/clamd/encrypted-zip-is-not-ok", test_encrypted_zip_not_ok);
        g_test_add_func("/scan/clamd/over-stream-max-length-is-error", test_over_stream_max_is_error);
        g_test_add_func("/scan/clamd/tcp-address", test_tcp_address);
        g_test_add_func("/scan/clamd/pipeline-audit-lines-are-json", test_pipeline_and_audit_json);
        g_test_add_func("/scan/clamd/stopped-scanner-is-error", test_stopped_scanner_is_error);
        int rc = g_test_run();
        clamd_stop();
        remove_tree(work_dir);
        return rc;
}
