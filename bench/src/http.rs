//! A minimal HTTP/1.1 keep-alive client: one request at a time on one connection,
//! requests prepared as bytes once, responses read by Content-Length (or chunked).
//! Light enough that one core of it drives a server on another.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One keep-alive connection to 127.0.0.1.
pub struct HttpConn {
    stream: TcpStream,
    buf: Vec<u8>,
    body: std::ops::Range<usize>,
}

/// The parts of a response the benchmarks look at.
#[derive(Clone, Copy, Debug)]
pub struct Response {
    pub status: u16,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `GET path` as request bytes.
pub fn get_request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
        .into_bytes()
}

/// `POST path` with a JSON body, as request bytes.
pub fn post_json_request(path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn malformed(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("malformed response: {what}"),
    )
}

impl HttpConn {
    pub async fn connect(port: u16) -> io::Result<HttpConn> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(HttpConn {
            stream,
            buf: Vec::with_capacity(8 * 1024),
            body: 0..0,
        })
    }

    /// Sends one request and reads its whole response.
    pub async fn request(&mut self, request: &[u8]) -> io::Result<Response> {
        self.stream.write_all(request).await?;
        self.buf.clear();
        let head_end = loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                break end + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|_| malformed("head"))?;
        let status = head
            .get(9..12)
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| malformed("status line"))?;
        let mut length = None;
        let mut chunked = false;
        for line in head.split("\r\n").skip(1) {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| malformed("content-length"))?,
                );
            } else if name.eq_ignore_ascii_case("transfer-encoding")
                && value.eq_ignore_ascii_case("chunked")
            {
                chunked = true;
            }
        }
        if chunked {
            self.read_chunked(head_end).await?;
        } else {
            let length = if status == 204 || status == 304 {
                0
            } else {
                length.unwrap_or(0)
            };
            while self.buf.len() < head_end + length {
                self.fill().await?;
            }
            self.body = head_end..head_end + length;
        }
        Ok(Response { status })
    }

    /// The body of the last response.
    pub fn body(&self) -> &[u8] {
        &self.buf[self.body.clone()]
    }

    async fn fill(&mut self) -> io::Result<()> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.buf.reserve(8192);
        }
        let read = self.stream.read_buf(&mut self.buf).await?;
        if read == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        Ok(())
    }

    /// Decodes a chunked body in place: the chunks are moved together after the head.
    async fn read_chunked(&mut self, head_end: usize) -> io::Result<()> {
        let mut read_at = head_end;
        let mut write_at = head_end;
        loop {
            let line_end = loop {
                if let Some(end) = find(&self.buf[read_at..], b"\r\n") {
                    break read_at + end;
                }
                self.fill().await?;
            };
            let size_text = std::str::from_utf8(&self.buf[read_at..line_end])
                .map_err(|_| malformed("chunk size"))?;
            let size_text = size_text.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| malformed("chunk size"))?;
            let data_start = line_end + 2;
            while self.buf.len() < data_start + size + 2 {
                self.fill().await?;
            }
            if size == 0 {
                self.body = head_end..write_at;
                return Ok(());
            }
            self.buf
                .copy_within(data_start..data_start + size, write_at);
            write_at += size;
            read_at = data_start + size + 2;
        }
    }
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_their_body_length() {
        let request =
            String::from_utf8(post_json_request("/messages", "{\"a\":1}")).expect("utf-8");
        assert!(
            request.contains("Content-Length: 7\r\n\r\n{\"a\":1}"),
            "{request}"
        );
        assert!(request.starts_with("POST /messages HTTP/1.1\r\n"));
    }

    #[test]
    fn find_locates_the_first_match() {
        assert_eq!(find(b"ab\r\n\r\ncd\r\n\r\n", b"\r\n\r\n"), Some(2));
        assert_eq!(find(b"abc", b"\r\n"), None);
    }
}
