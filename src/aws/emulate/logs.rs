//! Log delivery for the emulated runtime, as Lambda does it: each line a handler process
//! writes goes to its function's log group `/aws/lambda/<function>` on the endpoint, in a
//! stream of this run (`YYYY/MM/DD/[$LATEST]<id>`). The group is created when missing,
//! as Lambda creates it on a first invocation. Lines are read from the process's log
//! file every 250 ms and sent with `PutLogEvents`, stamped when read.

use anyhow::{Context as _, Result};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Ships the lines appended to `file` until `done` is set, then what is left.
pub async fn ship(client: aws_sdk_cloudwatchlogs::Client, function: String, file: PathBuf, done: Arc<AtomicBool>) -> Result<u64> {
    let group = format!("/aws/lambda/{function}");
    match client.create_log_group().log_group_name(&group).send().await {
        Ok(_) => {}
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_already_exists_exception()) => {}
        Err(e) => return Err(e).with_context(|| format!("creating log group `{group}`")),
    }
    let today = order_domain::rfc3339(order_domain::now_micros());
    let stream = format!("{}/[$LATEST]{:016x}", today[..10].replace('-', "/"), fastrand::u64(..));
    client
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name(&stream)
        .send()
        .await
        .with_context(|| format!("creating a log stream in `{group}`"))?;
    let (mut offset, mut partial, mut shipped) = (0u64, String::new(), 0u64);
    loop {
        let finished = done.load(Ordering::SeqCst);
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&file) {
            f.seek(SeekFrom::Start(offset))?;
            offset += f.read_to_string(&mut text)? as u64;
        }
        partial.push_str(&text);
        let complete = match partial.rfind('\n') {
            Some(end) => {
                let lines: String = partial.drain(..=end).collect();
                lines
            }
            None => String::new(),
        };
        let at = order_domain::now_micros() / 1000;
        let events: Vec<InputLogEvent> = complete
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| InputLogEvent::builder().timestamp(at).message(l).build())
            .collect::<Result<_, _>>()?;
        for chunk in events.chunks(1_000) {
            client
                .put_log_events()
                .log_group_name(&group)
                .log_stream_name(&stream)
                .set_log_events(Some(chunk.to_vec()))
                .send()
                .await
                .with_context(|| format!("sending log lines to `{group}`"))?;
            shipped += chunk.len() as u64;
        }
        if finished {
            return Ok(shipped);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
