"""Static files collected once, compressed, and named by their content's hash.

`make run` (and any deployment) runs `collectstatic` and sets STATIC_COLLECTED: WhiteNoise
then serves the gzip/brotli files written beside each original whenever the client
accepts them, and every hashed name with a year-long `immutable` cache header.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """Hashed names even when DEBUG is on.

    Django hands out plain names under DEBUG so edits show up without collecting again;
    `make run` collects on every start, so the hashed name is always the fresh one and
    a browser may keep it forever. Modules that the review scripts import by relative
    plain name (`from './api.js'`) are served compressed under that name with a short
    max-age and an ETag, so a browser revalidates them (304) and never runs a stale one.
    """

    # A name missing from the manifest is an error at render time, not a silent stale file.
    manifest_strict = True

    def url(self, name, force=False):
        return super().url(name, force=True)
