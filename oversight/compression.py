"""Gzip for pages and API answers, except streams whose chunks must arrive as they are sent."""

from django.middleware.gzip import GZipMiddleware

# gzip buffers until it has a block's worth: a model's tokens would arrive all at once.
UNBUFFERED_TYPES = ("text/event-stream",)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding), skipping server-sent events."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(UNBUFFERED_TYPES):
            return response
        return super().process_response(request, response)
