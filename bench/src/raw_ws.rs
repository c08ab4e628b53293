//! A minimal Socket.io client over a raw websocket: the upgrade handshake, Engine.IO
//! open and Socket.IO connect, masked text frames out, and unmasked frames parsed in
//! place from one read buffer. Engine.IO pings (`2`) and websocket pings are answered
//! by the reader itself. It does a hundredth of a full client's work, so one core of
//! them keeps up with what a server on another core sends.

use std::io;
use std::ops::Range;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::http::find;

const OP_CONTINUATION: u8 = 0x0;
const OP_TEXT: u8 = 0x1;
const OP_BINARY: u8 = 0x2;
const OP_CLOSE: u8 = 0x8;
const OP_PING: u8 = 0x9;
const OP_PONG: u8 = 0xA;

/// A Socket.io connection (Engine.IO v4 over websocket, default namespace).
pub struct RawWs {
    stream: TcpStream,
    buf: Vec<u8>,
    parsed: usize,
    /// The parts of a fragmented message received so far.
    fragments: Vec<u8>,
    fragmented_opcode: Option<u8>,
    /// Frames to send once the current read is handled (pongs).
    replies: Vec<u8>,
    mask_state: u32,
}

fn protocol_error(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

impl RawWs {
    /// Opens `ws://127.0.0.1:port/socket.io/?EIO=4&transport=websocket` and connects
    /// the default namespace (`40` answered by `40{"sid":..}`).
    pub async fn connect_socketio(port: u16) -> io::Result<RawWs> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        let mut ws = RawWs {
            stream,
            buf: Vec::with_capacity(2048),
            parsed: 0,
            fragments: Vec::new(),
            fragmented_opcode: None,
            replies: Vec::new(),
            mask_state: u32::from(port) | 1,
        };
        ws.upgrade(port).await?;
        let open = ws.next_text().await?;
        if !open.starts_with('0') {
            return Err(protocol_error(format!(
                "expected the Engine.IO open packet, got {open}"
            )));
        }
        ws.send_text(b"40").await?;
        loop {
            let packet = ws.next_text().await?;
            if packet.starts_with("40") {
                return Ok(ws);
            }
            if packet.starts_with("44") {
                return Err(protocol_error(format!(
                    "Socket.IO connect refused: {packet}"
                )));
            }
        }
    }

    async fn upgrade(&mut self, port: u16) -> io::Result<()> {
        let request = format!(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Upgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: ZmVhdGhlcnMtcnMtYm5jaA==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        self.stream.write_all(request.as_bytes()).await?;
        let head_end = loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                break end + 4;
            }
            self.fill().await?;
        };
        if !self.buf.starts_with(b"HTTP/1.1 101") {
            let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
            return Err(protocol_error(format!(
                "the websocket upgrade was refused: {head}"
            )));
        }
        self.parsed = head_end;
        Ok(())
    }

    /// The next text message, as a string (for the handshake; the hot paths use
    /// [`RawWs::read_texts`]).
    pub async fn next_text(&mut self) -> io::Result<String> {
        let mut got = None;
        while got.is_none() {
            self.read_texts(|text| {
                if got.is_none() {
                    got = Some(String::from_utf8_lossy(text).into_owned());
                }
            })
            .await?;
        }
        Ok(got.unwrap_or_default())
    }

    /// Sends one text message (a masked frame, as clients must).
    pub async fn send_text(&mut self, text: &[u8]) -> io::Result<()> {
        let mut frame = Vec::with_capacity(text.len() + 14);
        self.encode(OP_TEXT, text, &mut frame);
        self.stream.write_all(&frame).await
    }

    fn encode(&mut self, opcode: u8, payload: &[u8], into: &mut Vec<u8>) {
        into.push(0x80 | opcode);
        match payload.len() {
            len @ 0..=125 => into.push(0x80 | len as u8),
            len @ 126..=0xFFFF => {
                into.push(0x80 | 126);
                into.extend_from_slice(&(len as u16).to_be_bytes());
            }
            len => {
                into.push(0x80 | 127);
                into.extend_from_slice(&(len as u64).to_be_bytes());
            }
        }
        // xorshift: masks need not be secret here, only present.
        self.mask_state ^= self.mask_state << 13;
        self.mask_state ^= self.mask_state >> 17;
        self.mask_state ^= self.mask_state << 5;
        let mask = self.mask_state.to_be_bytes();
        into.extend_from_slice(&mask);
        into.extend(
            payload
                .iter()
                .enumerate()
                .map(|(i, byte)| byte ^ mask[i % 4]),
        );
    }

    /// Waits for data, then hands every complete text message to `on_text`, answering
    /// Engine.IO and websocket pings. An error when the connection ends.
    pub async fn read_texts(&mut self, mut on_text: impl FnMut(&[u8])) -> io::Result<()> {
        let mut handled = false;
        loop {
            let Some((opcode, fin, payload)) = self.next_frame()? else {
                if handled {
                    break;
                }
                self.compact();
                self.fill().await?;
                continue;
            };
            handled = true;
            match opcode {
                OP_TEXT | OP_BINARY | OP_CONTINUATION => {
                    let opcode = if opcode == OP_CONTINUATION {
                        self.fragmented_opcode.unwrap_or(OP_BINARY)
                    } else {
                        opcode
                    };
                    if !fin || self.fragmented_opcode.is_some() {
                        self.fragments.extend_from_slice(&self.buf[payload]);
                        self.fragmented_opcode = Some(opcode);
                        if !fin {
                            continue;
                        }
                        self.fragmented_opcode = None;
                        let message = std::mem::take(&mut self.fragments);
                        self.on_message(opcode, &message, &mut on_text);
                    } else {
                        let message = &self.buf[payload];
                        if opcode == OP_TEXT {
                            if message == b"2" {
                                self.queue_reply(OP_TEXT, b"3");
                            } else {
                                on_text(message);
                            }
                        }
                    }
                }
                OP_PING => {
                    let payload = self.buf[payload].to_vec();
                    self.queue_reply(OP_PONG, &payload);
                }
                OP_CLOSE => {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "the server closed the websocket",
                    ));
                }
                _ => {}
            }
        }
        self.compact();
        if !self.replies.is_empty() {
            let replies = std::mem::take(&mut self.replies);
            self.stream.write_all(&replies).await?;
        }
        Ok(())
    }

    fn on_message(&mut self, opcode: u8, message: &[u8], on_text: &mut impl FnMut(&[u8])) {
        if opcode != OP_TEXT {
            return;
        }
        if message == b"2" {
            self.queue_reply(OP_TEXT, b"3");
        } else {
            on_text(message);
        }
    }

    fn queue_reply(&mut self, opcode: u8, payload: &[u8]) {
        let mut replies = std::mem::take(&mut self.replies);
        self.encode(opcode, payload, &mut replies);
        self.replies = replies;
    }

    /// The next complete frame in the buffer: its opcode, FIN bit, and payload range.
    fn next_frame(&mut self) -> io::Result<Option<(u8, bool, Range<usize>)>> {
        let available = &self.buf[self.parsed..];
        if available.len() < 2 {
            return Ok(None);
        }
        let fin = available[0] & 0x80 != 0;
        let opcode = available[0] & 0x0F;
        if available[1] & 0x80 != 0 {
            return Err(protocol_error("the server sent a masked frame"));
        }
        let (length, header) = match available[1] & 0x7F {
            126 if available.len() >= 4 => (
                usize::from(u16::from_be_bytes([available[2], available[3]])),
                4,
            ),
            127 if available.len() >= 10 => {
                let mut bytes = [0; 8];
                bytes.copy_from_slice(&available[2..10]);
                let length = usize::try_from(u64::from_be_bytes(bytes))
                    .map_err(|_| protocol_error("a frame too large for this machine"))?;
                (length, 10)
            }
            126 | 127 => return Ok(None),
            length => (usize::from(length), 2),
        };
        if available.len() < header + length {
            return Ok(None);
        }
        let start = self.parsed + header;
        self.parsed = start + length;
        Ok(Some((opcode, fin, start..start + length)))
    }

    /// Drops parsed bytes so the buffer does not grow.
    fn compact(&mut self) {
        if self.parsed >= self.buf.len() {
            self.buf.clear();
            self.parsed = 0;
        } else if self.parsed > 0 {
            self.buf.drain(..self.parsed);
            self.parsed = 0;
        }
    }

    async fn fill(&mut self) -> io::Result<()> {
        if self.buf.capacity() - self.buf.len() < 1024 {
            self.buf.reserve(4096);
        }
        if self.stream.read_buf(&mut self.buf).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        Ok(())
    }
}
