/* core/mirror.c — `mirror` and `mirror -R`: the plan (the local tree walked without following
 * symbolic links unless --dereference, the remote tree listed once per directory, source and
 * destination compared) and
 * its run (directories made; the files as one batch: uploads through core_queue_run_uploads with
 * temp-upload on, downloads through core/download.h into .part files; then --delete), ending with
 * a summary.
 * Must not: print directly, follow a symbolic link unasked (nor, asked, into a loop), or use a
 * server's name before core_name_is_safe() accepted it. */
#include "core/mirror.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "core/browse-tree.h"
#include "core/cmd.h"
#include "core/compare.h"
#include "core/download.h"
#include "core/files.h"
#include "core/glob.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include "core/worker.h"
#include "ftp/session.h"
#include "scan/json.h"

#define MIRROR_MAX_DEPTH 64
/* a server that refuses MDTM this often does not offer it: stop asking */
#define MDTM_REFUSALS_MAX 3

typedef struct {
        gint64 size;
        gint64 mtime;
        gboolean mtime_exact;
        gboolean is_dir;
} Node;

typedef CoreMirrorPlan Plan;

void core_mirror_options_clear(CoreMirrorOptions *opts)
{
        g_clear_pointer(&opts->include, g_ptr_array_unref);
        g_clear_pointer(&opts->exclude, g_ptr_array_unref);
        g_clear_pointer(&opts->source, g_free);
        g_clear_pointer(&opts->target, g_free);
        g_clear_pointer(&opts->report, g_free);
        opts->local_dir = opts->remote_dir = NULL;
}

static gboolean usage(GError **error)
{
        g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("Usage: mirror [-R] [--delete] [--dry-run] [--only-newer] [--ignore-time] "
                              "[--dereference] [--exclude GLOB] [--exclude-from FILE] [--include GLOB] "
                              "[--parallel N] [--json] [--report FILE] [SOURCE-DIR [TARGET-DIR]] (-R: the "
                              "source is local)"));
        return FALSE;
}

static void add_glob(GPtrArray **list, const char *glob)
{
        if (!*list)
                *list = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(*list, g_strdup(glob));
}

/* --exclude-from FILE: a glob per line; blank lines and lines starting with # are skipped. */
static gboolean read_excludes(const char *path, CoreMirrorOptions *opts, GError **error)
{
        g_autofree char *text = NULL;
        g_autoptr(GError) local = NULL;
        if (!g_file_get_contents(path, &text, NULL, &local)) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("--exclude-from: %s"), local->message);
                return FALSE;
        }
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (char **l = lines; *l; l++) {
                g_strstrip(*l);
                if (**l && **l != '#')
                        add_glob(&opts->exclude, *l);
        }
        return TRUE;
}

gboolean core_mirror_parse(int argc, char **argv, CoreMirrorOptions *opts, GError **error)
{
        memset(opts, 0, sizeof *opts);
        int positional = 0;
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                gboolean has_value = i + 1 < argc;
                if (g_str_equal(a, "-R") || g_str_equal(a, "--reverse"))
                        opts->reverse = TRUE;
                else if (g_str_equal(a, "--dry-run"))
                        opts->dry_run = TRUE;
                else if (g_str_equal(a, "--delete"))
                        opts->delete_extra = TRUE;
                else if (g_str_equal(a, "--only-newer") || g_str_equal(a, "-n"))
                        opts->only_newer = TRUE;
                else if (g_str_equal(a, "--ignore-time"))
                        opts->ignore_time = TRUE;
                else if (g_str_equal(a, "--dereference") || g_str_equal(a, "-L"))
                        opts->dereference = TRUE;
                else if (g_str_equal(a, "--json"))
                        opts->json = TRUE;
                else if (g_str_equal(a, "--exclude") && has_value)
                        add_glob(&opts->exclude, argv[++i]);
                else if (g_str_equal(a, "--include") && has_value)
                        add_glob(&opts->include, argv[++i]);
                else if (g_str_equal(a, "--report") && has_value) {
                        g_free(opts->report);
                        opts->report = g_strdup(argv[++i]);
                } else if (g_str_equal(a, "--exclude-from") && has_value) {
                        if (!read_excludes(argv[++i], opts, error))
                                return FALSE;
                } else if (g_str_equal(a, "--parallel") && has_value) {
                        guint64 n = 0;
                        if (!g_ascii_string_to_unsigned(argv[++i], 10, 1, CORE_PARALLEL_MAX, &n, NULL))
                                return usage(error);
                        opts->parallel = (guint)n;
                } else if ((a[0] == '-' && a[1]) || positional == 2) {
                        return usage(error);
                } else {
                        char **slot = positional++ == 0 ? &opts->source : &opts->target;
                        *slot = g_strdup(a);
                }
        }
        /* -R: LOCAL-DIR [REMOTE-DIR]; a download: REMOTE-DIR [LOCAL-DIR], as lftp's */
        if (!opts->source)
                opts->source = g_strdup(opts->reverse ? "." : "");
        if (!opts->target)
                opts->target = g_strdup(opts->reverse ? "" : ".");
        opts->local_dir = opts->reverse ? opts->source : opts->target;
        opts->remote_dir = opts->reverse ? opts->target : opts->source;
        return TRUE;
}

/* ---- what is left out ---- */

static gboolean matches_any(const GPtrArray *globs, const char *rel)
{
        const char *base = strrchr(rel, '/');
        base = base ? base + 1 : rel;
        for (guint i = 0; globs && i < globs->len; i++) {
                const char *g = g_ptr_array_index(globs, i);
                if (core_glob_match(g, rel) || core_glob_match(g, base))
                        return TRUE;
        }
        return FALSE;
}

static gboolean excluded(const CoreMirrorOptions *opts, const char *rel, gboolean is_dir)
{
        if (matches_any(opts->exclude, rel))
                return TRUE;
        return !is_dir && opts->include && !matches_any(opts->include, rel);
}

static char *rel_join(const char *rel, const char *name) /* transfer full */
{
        return *rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
}

static Node *node_new(gint64 size, gint64 mtime, gboolean exact, gboolean is_dir)
{
        Node *n = g_new(Node, 1);
        *n = (Node){ size, mtime, exact, is_dir };
        return n;
}

/* ---- the local tree ---- */

typedef struct {
        dev_t dev;
        ino_t ino;
} DirId;

/* TRUE when the directory ST is one of those being walked: a link back up, a loop. */
static gboolean walking_already(const Plan *p, const struct stat *st)
{
        for (guint i = 0; i < p->walking->len; i++) {
                const DirId *id = &g_array_index(p->walking, DirId, i);
                if (id->dev == st->st_dev && id->ino == st->st_ino)
                        return TRUE;
        }
        return FALSE;
}

/* What PATH is: itself, or with --dereference what its link points to. FALSE: leave it out (said). */
static gboolean local_stat(Plan *p, const char *path, const char *rel, struct stat *st)
{
        if (lstat(path, st) != 0)
                return FALSE;
        if (!S_ISLNK(st->st_mode))
                return TRUE;
        g_autofree char *shown = core_name_escape(rel);
        if (!p->opts->dereference) {
                core_say(p->ctx, CORE_MSG_WARNING, _("Skipped %s: symbolic links are not followed."), shown);
                return FALSE;
        }
        if (stat(path, st) != 0) {
                core_say(p->ctx, CORE_MSG_WARNING, _("Skipped %s: the link points to nothing (%s)."), shown,
                         g_strerror(errno));
                return FALSE;
        }
        if (S_ISDIR(st->st_mode) && walking_already(p, st)) {
                core_say(p->ctx, CORE_MSG_WARNING, _("Skipped %s: the link leads back to a directory above it."),
                         shown);
                return FALSE;
        }
        return TRUE;
}

static void walk_local(Plan *p, const char *dir, const char *rel, int depth)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
        if (!d) {
                core_say(p->ctx, CORE_MSG_ERROR, "%s", error->message);
                p->failed++;
                return;
        }
        struct stat self;
        if (stat(dir, &self) != 0)
                return;
        DirId id = { self.st_dev, self.st_ino };
        g_array_append_val(p->walking, id);
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL) {
                g_autofree char *path = g_build_filename(dir, name, NULL);
                g_autofree char *child = rel_join(rel, name);
                struct stat st;
                if (!local_stat(p, path, child, &st))
                        continue;
                if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
                        continue;
                if (excluded(p->opts, child, S_ISDIR(st.st_mode)))
                        continue;
                g_hash_table_insert(p->local, g_strdup(child),
                                    node_new(st.st_size, st.st_mtime, TRUE, S_ISDIR(st.st_mode)));
                if (S_ISDIR(st.st_mode) && depth < MIRROR_MAX_DEPTH)
                        walk_local(p, path, child, depth + 1);
        }
        g_array_set_size(p->walking, p->walking->len - 1);
}

/* ---- the remote tree ---- */

static char *remote_path(const CoreMirrorOptions *opts, const char *rel) /* transfer full */
{
        if (!*opts->remote_dir)
                return g_strdup(*rel ? rel : ".");
        return *rel ? core_remote_join(opts->remote_dir, rel) : g_strdup(opts->remote_dir);
}

typedef struct {
        const char *path;
        gint64 size;
        gint64 mtime;
} LinkProbe;

/* SIZE, then MDTM, of what a link names: the server follows the link; a directory has no size. */
static gboolean probe_link(FtpSession *session, gpointer data, GError **error)
{
        LinkProbe *probe = data;
        if (!ftp_session_size(session, probe->path, &probe->size, error))
                return FALSE;
        if (!ftp_session_mdtm(session, probe->path, &probe->mtime, NULL))
                probe->mtime = -1;
        return TRUE;
}

/* A link on the server: left out and said, or with --dereference, when it names a file, that
 * file (lftp's meaning). A link to a directory is never followed: the server cannot say when
 * links loop. */
static Node *remote_link_target(Plan *p, const char *rel) /* transfer full */
{
        g_autofree char *shown = core_name_escape(rel);
        if (!p->opts->dereference) {
                core_say(p->ctx, CORE_MSG_WARNING, _("Skipped %s: symbolic links are not followed."), shown);
                return NULL;
        }
        g_autofree char *path = remote_path(p->opts, rel);
        LinkProbe probe = { .path = path, .size = -1, .mtime = -1 };
        g_autoptr(GError) error = NULL;
        if (!core_worker_run(p->ctx->worker, probe_link, &probe, &error)) {
                if (!g_error_matches(error, FTP_ERROR, FTP_ERROR_REFUSED)) {
                        core_fail(p->ctx, error);
                        p->failed++;
                        return NULL;
                }
                core_say(p->ctx, CORE_MSG_WARNING,
                         _("Skipped %s: the link does not name a file (links to directories are not followed)."),
                         shown);
                return NULL;
        }
        return node_new(probe.size, probe.mtime, probe.mtime >= 0, FALSE);
}

/* A remote directory that exists, and so every directory above it, named as an upload's remote
 * path names its parents (core_remote_make_parents): the batch makes none of them again. */
static void know_remote_dir(Plan *p, const char *path)
{
        if (!*path || g_str_equal(path, ".") || g_str_equal(path, "/"))
                return;
        for (const char *s = path + 1; *s; s++)
                if (*s == '/' && s[-1] != '/')
                        g_hash_table_add(p->remote_dirs, g_strndup(path, (gsize)(s - path)));
        g_hash_table_add(p->remote_dirs, g_strdup(path));
}

/* ---- temporary copies an earlier run left ---- */

/* Whether `name` in remote directory `rel` is exactly the temporary name an upload of a file of
 * that directory which -R mirrors gets (core_upload_temp_name_base): a leftover, or the copy of
 * an upload that runs now (another clamftp: one chance in 16 million per name). */
static gboolean is_leftover(const Plan *p, const char *rel, const char *name)
{
        g_autofree char *base = p->opts->reverse ? core_upload_temp_name_base(name) : NULL;
        if (!base)
                return FALSE;
        g_autofree char *child = rel_join(rel, base);
        const Node *local = g_hash_table_lookup(p->local, child);
        return local && !local->is_dir;
}

static void add_leftover(Plan *p, const char *rel, const char *name)
{
        g_autofree char *child = rel_join(rel, name);
        for (guint i = 0; i < p->leftovers->len; i++)
                if (g_str_equal(g_ptr_array_index(p->leftovers, i), child))
                        return;
        g_ptr_array_add(p->leftovers, g_steal_pointer(&child));
}

typedef struct {
        const char *path;
        GPtrArray *names;
} HiddenProbe;

static gboolean list_hidden(FtpSession *session, gpointer data, GError **error)
{
        HiddenProbe *probe = data;
        g_autofree char *arg = g_strconcat("-a ", probe->path, NULL);
        probe->names = ftp_session_nlst(session, arg, error);
        return probe->names != NULL;
}

/* A listing that hides dot files (vsftpd's LIST) does not show the temporary names: NLST -a asks
 * for them (vsftpd, ProFTPD, Pure-FTPd). A server that does not take the option answers an error
 * or the names it shows anyway; either way nothing else is done with the answer. */
static void find_hidden_leftovers(Plan *p, const char *rel, const char *path)
{
        HiddenProbe probe = { .path = path };
        if (!core_worker_run(p->ctx->worker, list_hidden, &probe, NULL))
                return;
        for (guint i = 0; i < probe.names->len; i++) {
                const char *line = g_ptr_array_index(probe.names, i);
                const char *slash = strrchr(line, '/'); /* some servers name DIR/NAME */
                const char *name = slash ? slash + 1 : line;
                if (core_name_is_safe(name) && is_leftover(p, rel, name))
                        add_leftover(p, rel, name);
        }
        g_ptr_array_unref(probe.names);
}

/* FALSE when a listing failed for another reason than the directory being absent. */
static gboolean walk_remote(Plan *p, const char *rel, int depth)
{
        g_autofree char *path = remote_path(p->opts, rel);
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) entries = core_browse_list_path(p->ctx, path, &error);
        if (!entries) {
                if (*rel == '\0' && g_error_matches(error, FTP_ERROR, FTP_ERROR_REFUSED))
                        return TRUE; /* the target directory does not exist yet: all of it is new */
                core_fail(p->ctx, error);
                p->failed++;
                return FALSE;
        }
        if (entries->len > 0) /* (a server may list a missing directory as empty) */
                know_remote_dir(p, path);
        if (p->opts->reverse)
                find_hidden_leftovers(p, rel, path);
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (!core_name_is_safe(e->name))
                        continue; /* never compared, never deleted */
                if (e->type == CORE_ENTRY_FILE && is_leftover(p, rel, e->name)) {
                        add_leftover(p, rel, e->name); /* not a file of the tree */
                        continue;
                }
                g_autofree char *child = rel_join(rel, e->name);
                Node *node = NULL;
                if (e->type == CORE_ENTRY_LINK) {
                        node = remote_link_target(p, child);
                        if (!node || excluded(p->opts, child, FALSE)) {
                                g_free(node);
                                continue;
                        }
                } else if ((e->type != CORE_ENTRY_FILE && e->type != CORE_ENTRY_DIR) ||
                           excluded(p->opts, child, e->type == CORE_ENTRY_DIR)) {
                        continue;
                }
                gboolean is_dir = e->type == CORE_ENTRY_DIR;
                if (is_dir) {
                        g_autofree char *dir = remote_path(p->opts, child);
                        know_remote_dir(p, dir);
                }
                if (!node)
                        node = node_new(e->size, e->mtime, e->mtime_exact, is_dir);
                g_hash_table_insert(p->remote, g_strdup(child), node);
                if (is_dir && depth < MIRROR_MAX_DEPTH && !walk_remote(p, child, depth + 1))
                        return FALSE;
        }
        return TRUE;
}

/* ---- the comparison ---- */

static int by_path(gconstpointer a, gconstpointer b)
{
        return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The table's paths in order (borrowed). */
static GPtrArray *sorted_paths(GHashTable *table)
{
        GPtrArray *paths = g_ptr_array_sized_new(g_hash_table_size(table));
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, table);
        while (g_hash_table_iter_next(&it, &key, NULL))
                g_ptr_array_add(paths, key);
        g_ptr_array_sort(paths, by_path);
        return paths;
}

static CoreFileStamp stamp_of(const Node *n)
{
        return (CoreFileStamp){ n->size, n->mtime, n->mtime_exact, FALSE }; /* MDTM settles the rest */
}

/* The source's file is newer than the destination's copy, by more than a listing without
 * seconds can tell apart; a copy whose time is unknown counts as older. */
static gboolean src_newer(const Node *src, const Node *dst)
{
        if (dst->mtime < 0 || src->mtime < 0)
                return dst->mtime < 0;
        CoreFileStamp s = stamp_of(src), d = stamp_of(dst);
        return core_compare_times(&s, &d) > 0;
}

typedef struct {
        const char *path;
        gint64 mtime;
} TimeProbe;

static gboolean probe_time(FtpSession *session, gpointer data, GError **error)
{
        TimeProbe *probe = data;
        return ftp_session_mdtm(session, probe->path, &probe->mtime, error);
}

/* A listing's time is a LIST date: to the minute, to the day for files older than six months,
 * and in the server's own time zone. Before such a time alone decides that a file of the same
 * size is to be copied again, MDTM (UTC, to the second) is asked, as lftp does. */
static void exact_remote_time(Plan *p, const char *rel)
{
        Node *remote = g_hash_table_lookup(p->remote, rel);
        if (!remote || remote->is_dir || remote->mtime_exact || p->mdtm_refused >= MDTM_REFUSALS_MAX)
                return;
        g_autofree char *path = remote_path(p->opts, rel);
        TimeProbe probe = { .path = path, .mtime = -1 };
        g_autoptr(GError) error = NULL;
        if (core_worker_run(p->ctx->worker, probe_time, &probe, &error)) {
                remote->mtime = probe.mtime;
                remote->mtime_exact = TRUE;
        } else if (g_error_matches(error, FTP_ERROR, FTP_ERROR_REFUSED)) {
                p->mdtm_refused++; /* the listing's time stands for this file */
        }
}

static void compare_file(Plan *p, const char *rel, const Node *src)
{
        const Node *dst = g_hash_table_lookup(p->dst, rel);
        if (dst && dst->is_dir) {
                g_autofree char *shown = core_name_escape(rel);
                core_say(p->ctx, CORE_MSG_ERROR, _("%s is a directory at the destination: the file is not copied."),
                         shown);
                p->failed++;
                return;
        }
        CoreFileStamp s = stamp_of(src), d = dst ? stamp_of(dst) : s;
        if (dst && !core_compare_sizes_differ(&s, &d) && !p->opts->ignore_time && src_newer(src, dst))
                exact_remote_time(p, rel);
        gboolean differs = !dst || core_compare_sizes_differ(&s, &d) || (!p->opts->ignore_time && src_newer(src, dst));
        if (dst && p->opts->only_newer && !src_newer(src, dst))
                differs = FALSE;
        if (!differs) {
                p->unchanged++;
                return;
        }
        g_ptr_array_add(p->send, g_strdup(rel));
        p->send_bytes += (guint64)MAX(src->size, 0);
}

static void plan_compare(Plan *p)
{
        g_autoptr(GPtrArray) rels = sorted_paths(p->src);
        for (guint i = 0; i < rels->len; i++) {
                const char *rel = g_ptr_array_index(rels, i);
                const Node *src = g_hash_table_lookup(p->src, rel);
                const Node *dst = g_hash_table_lookup(p->dst, rel);
                if (!src->is_dir)
                        compare_file(p, rel, src);
                else if (!dst || !dst->is_dir)
                        g_ptr_array_add(p->make_dirs, g_strdup(rel));
        }
        if (!p->opts->delete_extra)
                return;
        g_autoptr(GPtrArray) extra = sorted_paths(p->dst);
        /* deepest first: each directory's entries before the directory */
        for (guint i = extra->len; i-- > 0;) {
                const char *rel = g_ptr_array_index(extra, i);
                const Node *src = g_hash_table_lookup(p->src, rel);
                const Node *dst = g_hash_table_lookup(p->dst, rel);
                if (!src || src->is_dir != dst->is_dir)
                        g_ptr_array_add(p->remove, g_strdup(rel));
        }
}

/* ---- the run ---- */

static const char *mirror_name(const Plan *p)
{
        return p->opts->reverse ? "mirror -R" : "mirror";
}

static void say_plan(CoreContext *ctx, const Plan *p)
{
        for (guint i = 0; i < p->make_dirs->len; i++) {
                g_autofree char *shown = core_name_escape(g_ptr_array_index(p->make_dirs, i));
                core_say(ctx, CORE_MSG_OUTPUT, _("make directory %s"), shown);
        }
        for (guint i = 0; i < p->send->len; i++) {
                const char *rel = g_ptr_array_index(p->send, i);
                const Node *src = g_hash_table_lookup(p->src, rel);
                gboolean changed = g_hash_table_contains(p->dst, rel);
                g_autofree char *shown = core_name_escape(rel);
                g_autofree char *size = g_format_size((guint64)MAX(src->size, 0));
                if (p->opts->reverse)
                        core_say(ctx, CORE_MSG_OUTPUT, changed ? _("upload %s (%s, changed)") : _("upload %s (%s, new)"),
                                 shown, size);
                else
                        core_say(ctx, CORE_MSG_OUTPUT,
                                 changed ? _("download %s (%s, changed)") : _("download %s (%s, new)"), shown, size);
        }
        for (guint i = 0; i < p->remove->len; i++) {
                g_autofree char *shown = core_name_escape(g_ptr_array_index(p->remove, i));
                core_say(ctx, CORE_MSG_OUTPUT, _("delete %s"), shown);
        }
        for (guint i = 0; i < p->leftovers->len; i++) {
                g_autofree char *shown = core_name_escape(g_ptr_array_index(p->leftovers, i));
                core_say(ctx, CORE_MSG_OUTPUT, _("delete %s (a temporary copy an earlier run left)"), shown);
        }
        g_autofree char *bytes = g_format_size(p->send_bytes);
        core_say(ctx, CORE_MSG_INFO,
                 _("%s --dry-run: would copy %u files (%s), make %u directories, delete %u, leave %u unchanged; "
                   "nothing was changed."),
                 mirror_name(p), p->send->len, bytes, p->make_dirs->len, p->remove->len, p->unchanged);
}

static char *local_path(const CoreMirrorOptions *opts, const char *rel) /* transfer full */
{
        return g_build_filename(opts->local_dir, rel, NULL);
}

/* The destination's missing directories: on the server, or here (the names were checked). */
static gboolean make_dirs(Plan *p)
{
        if (p->make_dirs->len == 0)
                return TRUE;
        g_autoptr(GError) error = NULL;
        if (!p->opts->reverse) {
                for (guint i = 0; i < p->make_dirs->len; i++) {
                        g_autofree char *path = local_path(p->opts, g_ptr_array_index(p->make_dirs, i));
                        if (g_mkdir_with_parents(path, 0777) != 0) {
                                g_autofree char *shown = core_name_escape(path);
                                core_say(p->ctx, CORE_MSG_ERROR, _("Cannot make the directory %s: %s"), shown,
                                         g_strerror(errno));
                                p->failed++;
                        }
                }
                return p->failed == 0;
        }
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < p->make_dirs->len; i++)
                g_ptr_array_add(paths, remote_path(p->opts, g_ptr_array_index(p->make_dirs, i)));
        if (core_browse_make_dirs(p->ctx, paths, p->remote_dirs, &error))
                return TRUE;
        core_fail(p->ctx, error);
        p->failed++;
        return FALSE;
}

typedef struct {
        guint done, refused, failed;
} SendTally;

static void json_paths(GString *out, const char *key, GPtrArray *paths)
{
        g_string_append_printf(out, ",\"%s\":[", key);
        for (guint i = 0; i < paths->len; i++) {
                if (i)
                        g_string_append_c(out, ',');
                scan_json_append_string(out, g_ptr_array_index(paths, i));
        }
        g_string_append_c(out, ']');
}

/* The plan and (not a dry run) what came of it, as one JSON object on one line. transfer full */
static char *report_json(Plan *p, const SendTally *sent, guint removed, guint leftovers)
{
        GString *out = g_string_new("{\"direction\":");
        scan_json_append_string(out, p->opts->reverse ? "upload" : "download");
        g_string_append_printf(out, ",\"dry_run\":%s,\"copy\":[", p->opts->dry_run ? "true" : "false");
        for (guint i = 0; i < p->send->len; i++) {
                const char *rel = g_ptr_array_index(p->send, i);
                const Node *src = g_hash_table_lookup(p->src, rel);
                g_string_append(out, i ? ",{\"path\":" : "{\"path\":");
                scan_json_append_string(out, rel);
                g_string_append_printf(out, ",\"size\":%" G_GINT64_FORMAT ",\"why\":\"%s\"}", src->size,
                                       g_hash_table_contains(p->dst, rel) ? "changed" : "new");
        }
        g_string_append_c(out, ']');
        json_paths(out, "make_dirs", p->make_dirs);
        json_paths(out, "delete", p->remove);
        json_paths(out, "leftovers", p->leftovers);
        g_string_append_printf(out, ",\"bytes\":%" G_GUINT64_FORMAT ",\"unchanged\":%u", p->send_bytes, p->unchanged);
        if (!p->opts->dry_run)
                g_string_append_printf(out, ",\"result\":{\"copied\":%u,\"refused\":%u,\"deleted\":%u,"
                                       "\"dirs_made\":%u,\"failed\":%u,\"leftovers_deleted\":%u}",
                                       sent->done, sent->refused, removed, p->make_dirs->len, sent->failed + p->failed,
                                       leftovers);
        g_string_append_c(out, '}');
        return g_string_free(out, FALSE);
}

/* --json and --report FILE. */
static void give_report(Plan *p, const SendTally *sent, guint removed, guint leftovers)
{
        if (!p->opts->json && !p->opts->report)
                return;
        g_autofree char *json = report_json(p, sent, removed, leftovers);
        if (p->opts->json)
                core_say(p->ctx, CORE_MSG_OUTPUT, "%s", json);
        if (!p->opts->report)
                return;
        g_autofree char *text = g_strconcat(json, "\n", NULL);
        g_autoptr(GError) error = NULL;
        if (!g_file_set_contents(p->opts->report, text, -1, &error)) {
                core_fail(p->ctx, error);
                p->failed++;
        }
}

static void run_uploads(Plan *p, CoreQueue *queue, GArray *ids)
{
        /* the mirror's own setting for its batch: the final names never seen half-written */
        const CoreUploadRun how = { .temp_upload = TRUE, .parallel = p->opts->parallel, .known_dirs = p->remote_dirs };
        core_queue_run_uploads_as(p->ctx, queue, ids, &how);
}

static void run_downloads(Plan *p, CoreQueue *queue, GArray *ids)
{
        g_autoptr(CoreDownload) dl = core_download_new(p->ctx, queue, ids->len, p->send_bytes, p->opts->parallel);
        for (guint i = 0; i < ids->len; i++) {
                const char *rel = g_ptr_array_index(p->send, i);
                const Node *src = g_hash_table_lookup(p->src, rel);
                core_download_start(dl, g_array_index(ids, guint, i), p->opts->local_dir, src->size,
                                    src->mtime_exact ? src->mtime : -1, CORE_QUEUE_REPLACE_OVERWRITE);
        }
}

/* The files as jobs of `queue` (NULL: a private one). */
static SendTally send_files(Plan *p, CoreQueue *queue)
{
        SendTally t = { 0 };
        if (p->send->len == 0)
                return t;
        g_autoptr(CoreQueue) own = queue ? NULL : core_queue_new();
        if (!queue)
                queue = own;
        GArray *ids = p->job_ids;
        for (guint i = 0; i < p->send->len; i++) {
                const char *rel = g_ptr_array_index(p->send, i);
                g_autofree char *local = local_path(p->opts, rel);
                g_autofree char *remote = remote_path(p->opts, rel);
                g_autofree char *shown = core_name_escape(rel);
                guint id = core_queue_add(queue, p->opts->reverse ? CORE_JOB_UPLOAD : CORE_JOB_DOWNLOAD, shown, local,
                                          remote);
                g_array_append_val(ids, id);
        }
        if (p->opts->reverse)
                run_uploads(p, queue, ids);
        else
                run_downloads(p, queue, ids);
        for (guint i = 0; i < ids->len; i++) {
                g_autoptr(CoreJob) job = core_queue_get(queue, g_array_index(ids, guint, i));
                t.done += job && job->state == CORE_JOB_DONE;
                t.refused += job && (job->state == CORE_JOB_INFECTED || job->state == CORE_JOB_REFUSED);
                t.failed += job && job->state != CORE_JOB_DONE && job->state != CORE_JOB_INFECTED &&
                            job->state != CORE_JOB_REFUSED;
        }
        return t;
}

/* Deleted before the files are sent; one that will not go is said, and is no failure. */
static guint delete_leftovers(Plan *p)
{
        guint deleted = 0;
        for (guint i = 0; i < p->leftovers->len; i++) {
                g_autofree char *path = remote_path(p->opts, g_ptr_array_index(p->leftovers, i));
                g_autoptr(GError) error = NULL;
                if (core_remote_delete(p->ctx, path, &error)) {
                        deleted++;
                        continue;
                }
                core_say(p->ctx, CORE_MSG_WARNING, _("A temporary copy an earlier run left could not be deleted: %s"),
                         error->message);
        }
        if (deleted > 0)
                core_say(p->ctx, CORE_MSG_INFO,
                         ngettext("%s: deleted %u temporary copy an earlier run left (.NAME.clamftp-…).",
                                  "%s: deleted %u temporary copies an earlier run left (.NAME.clamftp-…).", deleted),
                         mirror_name(p), deleted);
        return deleted;
}

static gboolean remove_one(Plan *p, const char *rel, const Node *dst, GError **error)
{
        if (!p->opts->reverse) {
                g_autofree char *path = local_path(p->opts, rel);
                return core_local_delete(p->ctx, path, dst->is_dir, error);
        }
        g_autofree char *path = remote_path(p->opts, rel);
        return dst->is_dir ? core_remote_rmdir(p->ctx, path, error) : core_remote_delete(p->ctx, path, error);
}

static guint remove_extra(Plan *p)
{
        guint removed = 0;
        for (guint i = 0; i < p->remove->len; i++) {
                const char *rel = g_ptr_array_index(p->remove, i);
                g_autoptr(GError) error = NULL;
                if (remove_one(p, rel, g_hash_table_lookup(p->dst, rel), &error)) {
                        removed++;
                        continue;
                }
                core_fail(p->ctx, error);
                p->failed++;
        }
        return removed;
}

/* The destination's top directory, when it is not there yet. */
static void make_top(Plan *p)
{
        const CoreMirrorOptions *opts = p->opts;
        if (!opts->reverse) {
                if (g_mkdir_with_parents(opts->local_dir, 0777) != 0) {
                        g_autofree char *shown = core_name_escape(opts->local_dir);
                        core_say(p->ctx, CORE_MSG_ERROR, _("Cannot make the directory %s: %s"), shown, g_strerror(errno));
                        p->failed++;
                }
                return;
        }
        if (!*opts->remote_dir || g_hash_table_size(p->remote))
                return;
        g_autoptr(GPtrArray) top = g_ptr_array_new();
        g_ptr_array_add(top, (gpointer)opts->remote_dir);
        g_autoptr(GError) made = NULL;
        if (!core_browse_make_dirs(p->ctx, top, p->remote_dirs, &made)) {
                core_fail(p->ctx, made);
                p->failed++;
        }
}

CoreMirrorPlan *core_mirror_plan(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error)
{
        if (opts->reverse && !g_file_test(opts->local_dir, G_FILE_TEST_IS_DIR)) {
                g_autofree char *shown = core_name_escape(opts->local_dir);
                g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH,
                            _("%s is not a local directory."), shown);
                return NULL;
        }
        Plan *p = g_new0(Plan, 1);
        *p = (Plan){ .ctx = ctx, .opts = opts,
                     .local = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
                     .remote = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
                     .send = g_ptr_array_new_with_free_func(g_free),
                     .make_dirs = g_ptr_array_new_with_free_func(g_free),
                     .remove = g_ptr_array_new_with_free_func(g_free),
                     .leftovers = g_ptr_array_new_with_free_func(g_free),
                     .job_ids = g_array_new(FALSE, FALSE, sizeof(guint)),
                     .walking = g_array_new(FALSE, FALSE, sizeof(DirId)),
                     .remote_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
        p->src = opts->reverse ? p->local : p->remote;
        p->dst = opts->reverse ? p->remote : p->local;
        if (g_file_test(opts->local_dir, G_FILE_TEST_IS_DIR))
                walk_local(p, opts->local_dir, "", 0);
        p->listed = walk_remote(p, "", 0);
        if (p->listed)
                plan_compare(p);
        return p;
}

void core_mirror_plan_free(CoreMirrorPlan *p)
{
        if (!p)
                return;
        g_hash_table_unref(p->local);
        g_hash_table_unref(p->remote);
        g_ptr_array_unref(p->send);
        g_ptr_array_unref(p->make_dirs);
        g_ptr_array_unref(p->remove);
        g_ptr_array_unref(p->leftovers);
        g_array_unref(p->job_ids);
        g_array_unref(p->walking);
        g_hash_table_unref(p->remote_dirs);
        g_free(p);
}

void core_mirror_describe(CoreContext *ctx, const CoreMirrorPlan *plan)
{
        say_plan(ctx, plan);
}

gboolean core_mirror_carry_out(CoreContext *ctx, CoreMirrorPlan *p, CoreQueue *queue)
{
        p->ctx = ctx;
        make_top(p);
        SendTally sent = { 0 };
        guint leftovers = delete_leftovers(p);
        if (p->failed == 0 && make_dirs(p))
                sent = send_files(p, queue);
        guint removed = 0;
        if (p->failed == 0 && sent.failed == 0)
                removed = remove_extra(p);
        else if (p->remove->len > 0)
                core_say(ctx, CORE_MSG_WARNING, _("Nothing was deleted: not every file arrived."));
        g_autofree char *bytes = g_format_size(p->send_bytes);
        core_say(ctx, CORE_MSG_INFO,
                 _("%s: %u copied (%s planned), %u unchanged, %u refused by the scanner, %u deleted, %u "
                   "directories made, %u failed."),
                 mirror_name(p), sent.done, bytes, p->unchanged, sent.refused, removed, p->make_dirs->len,
                 sent.failed + p->failed);
        give_report(p, &sent, removed, leftovers);
        return p->failed == 0 && sent.failed == 0;
}

gboolean core_mirror_run(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error)
{
        g_autoptr(CoreMirrorPlan) p = core_mirror_plan(ctx, opts, error);
        if (!p)
                return FALSE;
        if (p->listed && !opts->dry_run)
                return core_mirror_carry_out(ctx, p, NULL);
        if (p->listed && !opts->json)
                core_mirror_describe(ctx, p);
        if (p->listed) {
                SendTally none = { 0 };
                give_report(p, &none, 0, 0);
        }
        return p->failed == 0;
}
