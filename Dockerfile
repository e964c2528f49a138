# kopbot as a small static image: pure-Go SQLite, so CGO stays off and the
# binary needs no libc. Build: docker build -t kopbot .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kopbot ./cmd/kopbot

# distroless/static: CA certificates for Telegram and WhatsApp, a nonroot
# user, nothing else. Time zones are embedded in the binary (time/tzdata).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kopbot /usr/local/bin/kopbot
WORKDIR /data
# The database, the WhatsApp session and kopbot.toml live here; back it up
# with `docker exec … kopbot backup /data/backup-YYYYMMDD.db`.
VOLUME ["/data"]
ENV KOPBOT_CONFIG=/data/kopbot.toml \
    KOPBOT_DB=/data/kopbot.db \
    KOPBOT_WHATSAPP_SESSION=/data/whatsapp.db \
    KOPBOT_HTTP_LISTEN=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/kopbot", "health"]
ENTRYPOINT ["/usr/local/bin/kopbot"]
CMD ["serve"]
