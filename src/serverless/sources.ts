// Where the serverless model's numbers come from: one citation per source, referenced by every sourced parameter.
//
// A parameter of the model is a number with a `source` naming one of these entries (or saying plainly that it
// is an estimate and why). Notebooks and `vmlab sim` print the sources next to the values, so a student can
// check each one against the paper or the provider's documentation.

/** A published source of a parameter value. */
export interface Citation {
  /** Short key, e.g. "aws-lambda-memory". */
  readonly key: string;
  /** Authors, title and venue, or the provider's document title. */
  readonly reference: string;
  /** What the source says that the model uses. */
  readonly says: string;
}

function citation(key: string, reference: string, says: string): Citation {
  return { key, reference, says };
}

/** Every source the serverless model cites, by key. */
export const CITATIONS = {
  awsLambdaMemory: citation(
    "aws-lambda-memory",
    "AWS Lambda Developer Guide, 'Configuring Lambda function memory' (2020 onwards)",
    "Lambda allocates CPU power in proportion to the memory configured; at 1,769 MB a function has the equivalent of one vCPU; memory is 128 MB to 10,240 MB (6 vCPUs).",
  ),
  awsLambdaMemory2016: citation(
    "aws-lambda-limits-2016",
    "AWS Lambda Developer Guide, 'AWS Lambda Limits' (2016)",
    "Memory could be set from 128 MB to 1,536 MB in 64 MB increments.",
  ),
  awsBilling2020: citation(
    "aws-lambda-1ms-billing",
    "AWS What's New, 1 December 2020: 'AWS Lambda changes duration billing granularity from 100ms down to 1ms'",
    "Duration was rounded up to the next 100 ms before December 2020 and to the next 1 ms after.",
  ),
  awsLambdaPricing: citation(
    "aws-lambda-pricing",
    "AWS Lambda pricing page (x86, US East)",
    "$0.0000166667 per GB-second of duration and $0.20 per million requests.",
  ),
  awsFargatePricing: citation(
    "aws-fargate-pricing",
    "AWS Fargate pricing page (Linux/x86, US East)",
    "$0.04048 per vCPU-hour and $0.004445 per GB-hour, billed while the task runs.",
  ),
  awsEc2Pricing: citation(
    "aws-ec2-pricing",
    "Amazon EC2 On-Demand pricing page (US East)",
    "m5.large (2 vCPUs, 8 GiB) costs $0.096 per hour.",
  ),
  awsElasticBeanstalkTriggers: citation(
    "aws-eb-autoscaling-triggers",
    "AWS Elastic Beanstalk Developer Guide, 'Auto Scaling triggers' and the aws:autoscaling:asg namespace",
    "Default trigger: average over a 5-minute period, scale when breached for 5 minutes, add or remove one instance; Auto Scaling cooldown 360 s.",
  ),
  maoHumphrey2012: citation(
    "mao-humphrey-cloud-2012",
    "M. Mao and M. Humphrey, 'A Performance Study on the VM Startup Time in the Cloud', IEEE CLOUD 2012",
    "EC2 Linux instances took about 97 s on average from request to ready.",
  ),
  hendrickson2016: citation(
    "openlambda-hotcloud-2016",
    "S. Hendrickson, S. Sturdevant, T. Harter, V. Venkataramani, A. C. Arpaci-Dusseau, R. H. Arpaci-Dusseau, 'Serverless Computation with OpenLambda', HotCloud 2016",
    "100 outstanding requests of 200 ms of compute for one minute: Lambda's median response time 1.6 s (100 workers started within 1.6 s); Elastic Beanstalk's 20 s, every request served by one instance behind 99 others.",
  ),
  wang2018: citation(
    "peeking-behind-curtains-atc-2018",
    "L. Wang, M. Li, Y. Zhang, T. Ristenpart, M. Swift, 'Peeking Behind the Curtains of Serverless Platforms', USENIX ATC 2018",
    "Median warm-start latency about 25 ms on AWS Lambda (79 ms Google, 320 ms Azure); instances get CPU in proportion to their memory.",
  ),
  agache2020: citation(
    "firecracker-nsdi-2020",
    "A. Agache et al., 'Firecracker: Lightweight Virtualization for Serverless Applications', NSDI 2020",
    "A Firecracker microVM, the sandbox of Lambda, boots to user space in as little as 125 ms.",
  ),
  oakes2018: citation(
    "sock-atc-2018",
    "E. Oakes, L. Yang, D. Zhou, K. Houck, T. Harter, A. C. Arpaci-Dusseau, R. H. Arpaci-Dusseau, 'SOCK: Rapid Task Provisioning with Serverless-Optimized Containers', USENIX ATC 2018",
    "Importing popular libraries adds about 100 ms to startup; installing packages takes seconds; a package-aware cache (install cache, import cache in Zygotes) removes most of it; package popularity is highly skewed (36% of imports go to 0.02% of packages).",
  ),
  verma2015: citation(
    "borg-eurosys-2015",
    "A. Verma, L. Pedrosa, M. Korupolu, D. Oppenheimer, E. Tune, J. Wilkes, 'Large-scale cluster management at Google with Borg', EuroSys 2015",
    "Median task startup latency is about 25 s, of which package installation takes about 80%; the scheduler prefers machines that already hold a task's packages.",
  ),
  shahrad2020: citation(
    "serverless-in-the-wild-atc-2020",
    "M. Shahrad et al., 'Serverless in the Wild: Characterizing and Optimizing the Serverless Workload at a Large Cloud Provider', USENIX ATC 2020",
    "Fixed keep-alive of 10 minutes (AWS) and 20 minutes (Azure); the hybrid histogram policy: per-application idle-time histogram over 4 hours in 1-minute bins, pre-warm at the 5th percentile and keep alive to the 99th, each with a 10% margin, and a standard keep-alive while the histogram is not representative.",
  ),
  mahmoudi2020: citation(
    "simfaas",
    "N. Mahmoudi and H. Khazaei, 'SimFaaS: A Performance Simulator for Serverless Computing Platforms', CLOSER 2021 (github.com/pacslab/simfaas)",
    "Poisson arrivals, exponential warm and cold service times, an expiration threshold and a maximum concurrency; requests go to the newest idle instance; reported example λ = 0.9/s, warm 1.991 s, cold 2.244 s, 600 s threshold: P(cold) ≈ 0.0014, 7.66 instances, 1.79 running, 5.87 idle.",
  ),
  azureDataset2019: citation(
    "azure-functions-2019",
    "Azure Public Dataset, 'Azure Functions Trace 2019' (AzureFunctionsDataset2019.md)",
    "invocations_per_function_md (HashOwner, HashApp, HashFunction, Trigger, 1..1440 per-minute counts), function_durations_percentiles (ms), app_memory_percentiles (MB); applications are the unit of allocation.",
  ),
  azureDataset2021: citation(
    "azure-functions-2021",
    "Azure Public Dataset, 'Azure Functions Invocation Trace 2021' (AzureFunctionsInvocationTrace2021.md)",
    "One row per invocation: app, func, end_timestamp (s), duration (s).",
  ),
} as const satisfies Record<string, Citation>;

/** A number the model uses, with its unit and where it comes from. */
export interface SourcedValue {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** A citation key from CITATIONS, or "estimate: <why>" where no published number exists. */
  readonly source: string;
}

/** Builds a sourced value that cites one of CITATIONS. */
export function sourced(name: string, value: number, unit: string, from: Citation | string): SourcedValue {
  return { name, value, unit, source: typeof from === "string" ? from : from.key };
}

/** The citation behind a source key, or undefined for an estimate. */
export function citationFor(source: string): Citation | undefined {
  return Object.values(CITATIONS).find((c) => c.key === source);
}
