"""Deploys an exported orderctl template to an AWS-compatible endpoint (moto) as a
user would with the AWS CLI: the zips into a bucket, then CloudFormation's CreateStack.
An independent client (boto3), so the test does not check orderctl with orderctl.

usage: cfn_deploy.py deploy ENDPOINT TEMPLATE ZIPS_DIR STACK_PARAMETER BUCKET
       cfn_deploy.py repair ENDPOINT STACK_PARAMETER

`deploy` prints the stack's final status, its resources and the functions' deployed
`CodeSha256` as JSON. `repair` mends the one thing moto's CloudFormation makes wrong
that orderctl would read as drift, and prints each repair: it stores a role's inline
policy as Python's repr of the document, which is stored again as the JSON it holds.
"""
import ast
import json
import os
import sys
import time

import boto3

mode, endpoint = sys.argv[1:3]
session = boto3.session.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))
cfn = session.client("cloudformation", endpoint_url=endpoint)


def repair(stack):
    resources = cfn.list_stack_resources(StackName=f"{stack}-cfn")["StackResourceSummaries"]
    repairs = []
    iam = session.client("iam", endpoint_url=endpoint)
    for r in resources:
        kind, physical, logical = r["ResourceType"], r.get("PhysicalResourceId"), r["LogicalResourceId"]
        if kind == "AWS::IAM::Role":
            for name in iam.list_role_policies(RoleName=physical)["PolicyNames"]:
                doc = iam.get_role_policy(RoleName=physical, PolicyName=name)["PolicyDocument"]
                if isinstance(doc, str):
                    try:
                        json.loads(doc)
                    except ValueError:
                        iam.put_role_policy(RoleName=physical, PolicyName=name, PolicyDocument=json.dumps(ast.literal_eval(doc)))
                        repairs.append(f"re-stored the policy of {logical}")
    print(json.dumps(sorted(repairs)))


if mode == "repair":
    repair(sys.argv[3])
    sys.exit(0)

template, zips, stack, bucket = sys.argv[3:7]
s3 = session.client("s3", endpoint_url=endpoint)
s3.create_bucket(Bucket=bucket)
for name in sorted(os.listdir(zips)):
    if name.endswith(".zip"):
        s3.upload_file(os.path.join(zips, name), bucket, name)

with open(template) as f:
    body = f.read()
cfn.create_stack(
    StackName=f"{stack}-cfn",
    TemplateBody=body,
    Parameters=[
        {"ParameterKey": "StackName", "ParameterValue": stack},
        {"ParameterKey": "CodeBucket", "ParameterValue": bucket},
    ],
    Capabilities=["CAPABILITY_NAMED_IAM"],
)
deadline = time.time() + 120
while True:
    described = cfn.describe_stacks(StackName=f"{stack}-cfn")["Stacks"][0]
    if not described["StackStatus"].endswith("IN_PROGRESS") or time.time() > deadline:
        break
    time.sleep(0.5)
resources = cfn.list_stack_resources(StackName=f"{stack}-cfn")["StackResourceSummaries"]
lam = session.client("lambda", endpoint_url=endpoint)
code = {
    r["PhysicalResourceId"]: lam.get_function(FunctionName=r["PhysicalResourceId"])["Configuration"]["CodeSha256"]
    for r in resources
    if r["ResourceType"] == "AWS::Lambda::Function"
}

print(
    json.dumps(
        {
            "status": described["StackStatus"],
            "reason": described.get("StackStatusReason"),
            "codeSha256": code,
            "resources": [
                {
                    "logicalId": r["LogicalResourceId"],
                    "type": r["ResourceType"],
                    "status": r["ResourceStatus"],
                    "physicalId": r.get("PhysicalResourceId"),
                }
                for r in resources
            ],
        }
    )
)
