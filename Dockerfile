# Static kopbot: pure-Go SQLite, so CGO stays off and the image needs no libc.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kopbot ./cmd/kopbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kopbot /usr/local/bin/kopbot
# tzdata for Asia/Jakarta is embedded in the binary (time/tzdata).
WORKDIR /data
VOLUME ["/data"]
ENV KOPBOT_DB=/data/kopbot.db
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/kopbot"]
CMD ["demo"]
