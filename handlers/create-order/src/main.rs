//! `create-order`: the Lambda behind `POST /orders` of the HTTP API (payload format
//! 2.0). It validates the order (400 with a JSON error naming the field at fault),
//! publishes it to the `orders` topic and answers 201 with its id, with CORS headers so
//! a browser form on another origin can call it.

use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, Method};
use base64::Engine;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use lambda_support::{log, sdk_config, Config, OrdersTopic};
use order_domain::{accept_request, now_micros};
use serde_json::{json, Value};

struct Api {
    topic: OrdersTopic,
    allow_origin: HeaderValue,
}

fn response(status: i64, body: Value, allow_origin: &HeaderValue) -> ApiGatewayV2httpResponse {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert("access-control-allow-origin", allow_origin.clone());
    headers.insert("access-control-allow-methods", HeaderValue::from_static("POST, OPTIONS"));
    headers.insert("access-control-allow-headers", HeaderValue::from_static("content-type"));
    let mut r = ApiGatewayV2httpResponse::default();
    r.status_code = status;
    r.headers = headers;
    r.body = if body.is_null() { None } else { Some(Body::Text(body.to_string())) };
    r
}

/// The request's body as bytes, decoding base64 when API Gateway encoded it.
fn body_of(req: &ApiGatewayV2httpRequest) -> Result<Vec<u8>, String> {
    let body = req.body.as_deref().unwrap_or("");
    if req.is_base64_encoded {
        base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| format!("the body is not valid base64: {e}"))
    } else {
        Ok(body.as_bytes().to_vec())
    }
}

impl Api {
    async fn handle(&self, event: LambdaEvent<ApiGatewayV2httpRequest>) -> Result<ApiGatewayV2httpResponse, Error> {
        let req = &event.payload;
        let origin = &self.allow_origin;
        match req.request_context.http.method {
            Method::OPTIONS => return Ok(response(204, Value::Null, origin)),
            Method::POST => {}
            _ => return Ok(response(405, json!({"error": "use POST /orders"}), origin)),
        }
        let body = match body_of(req) {
            Ok(b) => b,
            Err(e) => return Ok(response(400, json!({"error": e}), origin)),
        };
        let order = match accept_request(&body, now_micros(), || uuid::Uuid::new_v4().to_string()) {
            Ok(order) => order,
            Err(refusal) => return Ok(response(400, refusal.to_json(), origin)),
        };
        match self.topic.publish(&order).await {
            Ok(message_id) => {
                log(order_domain::log::created(&order.order_id, &message_id));
                Ok(response(201, json!({"orderId": order.order_id, "status": "ACCEPTED"}), origin))
            }
            Err(e) => {
                log(order_domain::log::line("error", "publish failed", json!({"orderId": order.order_id, "error": format!("{e:#}")})));
                Ok(response(502, json!({"error": "the order could not be published; try again"}), origin))
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::from_env()?;
    let topic_arn = config.topic_arn.clone().ok_or("`ORDERS_TOPIC_ARN` is not set")?;
    let allow_origin = std::env::var("CORS_ALLOW_ORIGIN").unwrap_or_else(|_| "*".into());
    let api: &'static Api = Box::leak(Box::new(Api {
        topic: OrdersTopic::new(&sdk_config().await, &topic_arn),
        allow_origin: HeaderValue::from_str(&allow_origin)
            .map_err(|_| format!("`CORS_ALLOW_ORIGIN` is not a valid header value: {allow_origin}"))?,
    }));
    lambda_runtime::run(service_fn(move |event| api.handle(event))).await
}
