/* scan/pipeline.h — the scanner threads: snapshot and scan upload candidates ahead of the upload.
 * Owns: the threads, the order of results, and the bound on snapshots held at once.
 * Must not: upload, prompt or print. While file k uploads, file k+1 is already being scanned. */
#pragma once
#include <glib.h>
#include "scan/client.h"
#include "scan/snapshot.h"
#include "scan/audit.h"

typedef struct {
        char *path;
        ScanSnapshot *snapshot; /* NULL when the snapshot could not be taken (see error), or when the
                                   file was refused before any copy: larger than the scanner takes
                                   (scan/limits.h; error NULL, the verdict an ERROR of class LIMIT) */
        ScanVerdict *verdict;   /* never NULL: ERROR (LOCAL) when the snapshot failed; its path is `path` */
        GError *error;          /* snapshot failure, or NULL */
} ScanResult;
void scan_result_free(ScanResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanResult, scan_result_free)

typedef struct ScanPipeline ScanPipeline;
/* lookahead: how many scanned results may wait for the consumer (bounds memory). audit may be NULL. */
ScanPipeline *scan_pipeline_new(ScanClient *client, ScanAudit *audit, const char *tmpdir, guint lookahead);
/* The same with `scanners` threads, each scanning one file at a time on its own connection to the
 * scanner (its verdict records may reach the audit log out of submission order); results still
 * come in submission order, and at most lookahead + scanners - 1 snapshots are held at once. */
ScanPipeline *scan_pipeline_new_scanners(ScanClient *client, ScanAudit *audit, const char *tmpdir, guint lookahead,
                                         guint scanners);
void scan_pipeline_submit(ScanPipeline *pipeline, const char *path); /* in upload order */
void scan_pipeline_close(ScanPipeline *pipeline);                    /* no more submissions */
/* Blocks for the next result in submission order; NULL once closed and drained. transfer full */
ScanResult *scan_pipeline_next(ScanPipeline *pipeline);
/* Stops scanning what was not scanned yet; _next() then drains to NULL. */
void scan_pipeline_cancel(ScanPipeline *pipeline);
/* The consumer no longer wants the file submitted `index`-th (from 0): not scanned when it has
 * not started, its scan interrupted when it runs. Its result still comes in order, at once, with
 * no snapshot and a SCAN_ERROR_CANCELLED error. Does not block (a queue's cancel hook). */
void scan_pipeline_drop(ScanPipeline *pipeline, guint index);
void scan_pipeline_free(ScanPipeline *pipeline); /* cancels, joins the thread */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanPipeline, scan_pipeline_free)
