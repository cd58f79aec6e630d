/// One kind of credential the redactor recognises, as data: the one table of formats, each with
/// where its shape is documented, a PCRE2 pattern, the literals a text must contain before the
/// pattern is run (matched ASCII case-insensitively; every match contains one), and a fake example.
///
/// Sources: gitleaks' default rules (github.com/gitleaks/gitleaks, config/gitleaks.toml, "gitleaks"
/// below), GitHub's list of supported secret-scanning patterns ("GitHub"), and the providers' own
/// documentation where it describes the token format.
public struct SecretFormat: Sendable {
    public enum Family: String, Sendable, CaseIterable {
        case cloud, vcs, registry, chat, payment, saas, token, url, privateKey, commandLine, assignment
    }

    /// How a match is confirmed before it is masked.
    package enum Check: Sendable {
        /// The shape is the proof.
        case none
        /// The `secret` group must not be a placeholder (`$VAR`, `***`, `true`).
        case value
        /// The `name` group must name a secret (`SecretName.isSecret`) and the value be real.
        case assignment
        /// As `assignment`, for `name: value`, which prose also has (`on project token-cache: There
        /// are test failures`): in the middle of a line, a short run of letters is a word, not a secret.
        case colonAssignment
        /// The `name` group must be a flag that takes a secret (`--api-key X`) and the value be real.
        case flag
    }

    public let id: String
    public let family: Family
    /// Where the format is documented.
    public let source: String
    package let pattern: String
    package let literals: [String]
    /// Bytes the pattern cannot match without, all of them, besides a literal: the separator of
    /// `name=value`, `name: value`, `<name>`. A name literal such as `pass` is in every `passed`
    /// of a test log, and the generic patterns tried at every word of such a line were most of
    /// redacting excerpts; a look for a byte rules most of those lines out first.
    package let requiredBytes: [UInt8]
    package let check: Check
    public let example: SecretExample

    package init(_ id: String, _ family: Family, source: String, _ pattern: String, literals: [String], requires: String = "",
                 check: Check = .none, example: SecretExample) {
        self.id = id
        self.family = family
        self.source = source
        self.pattern = pattern
        self.literals = literals
        requiredBytes = Array(requires.utf8)
        self.check = check
        self.example = example
    }

    /// The value part of `name = value` forms: a quoted string, or a run up to a delimiter.
    package static let value = #"(?<secret>"[^"\n]{1,500}"|'[^'\n]{1,500}'|[^\s"',;&<>(){}\[\]]{1,500})"#
    /// A name containing a secret word; `SecretName` decides on its words. Lazy then possessive,
    /// and bounded, so each start costs at most a name's length.
    package static let name = #"(?<name>[\w.\-]{0,60}?(?:secret|token|pass|pw|credential|creds|auth|key)[\w.\-]{0,60}+)"#
    static let nameLiterals = ["secret", "token", "pass", "pw", "credential", "creds", "auth", "key"]

    public static let all: [SecretFormat] = [
        // MARK: Cloud
        SecretFormat("aws-access-key-id", .cloud,
                     source: "AWS IAM user guide, unique identifier prefixes (AKIA, ASIA, …); gitleaks aws-access-token",
                     #"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}"#, literals: ["a3t", "akia", "asia", "abia", "acca"],
                     example: SecretExample("AKIA{U16}", documented: "AKIAIOSFODNN7EXAMPLE")),
        SecretFormat("aws-secret-access-key", .cloud,
                     source: "AWS CLI configuration (aws_secret_access_key, 40 base64 characters); GitHub aws_secret_access_key",
                     #"(?i)aws[\w.\-]{0,30}?secret[\w.\-]{0,30}+["']?(?:[ \t]*[=:][ \t]*|[ \t]+)["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"#,
                     literals: ["aws"],
                     example: SecretExample(before: "aws_secret_access_key = ", "{b40}",
                                            documented: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
        SecretFormat("aws-signed-url", .cloud,
                     source: "AWS SigV4 and Google Cloud Storage signed URLs (X-Amz-Signature, X-Amz-Security-Token, X-Goog-Signature)",
                     #"(?i)[?&](?:x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature|x-goog-credential)=(?<secret>[^&\s"'<>]+)"#,
                     literals: ["x-amz-", "x-goog-"],
                     example: SecretExample(before: "https://releases.s3.amazonaws.com/app.tgz?X-Amz-Date=20250101T000000Z&X-Amz-Signature=", "{x64}")),
        SecretFormat("gcp-api-key", .cloud, source: "Google Cloud API keys (AIza…); gitleaks gcp-api-key",
                     #"\bAIza[\w\-]{35}"#, literals: ["aiza"], example: SecretExample("AIza{u35}")),
        SecretFormat("gcp-oauth-client-secret", .cloud, source: "Google OAuth client secrets (GOCSPX-); GitHub google_oauth_client_secret",
                     #"\bGOCSPX-[\w\-]{28}"#, literals: ["gocspx-"], example: SecretExample("GOCSPX-{u28}")),
        SecretFormat("gcp-oauth-token", .cloud, source: "Google OAuth access (ya29.) and refresh (1//0) tokens; GitHub google_oauth_access_token",
                     #"\bya29\.[\w\-]{20,}|\b1//0[\w\-]{40,}"#, literals: ["ya29.", "1//0"], example: SecretExample("ya29.{u120}")),
        SecretFormat("azure-ad-client-secret", .cloud, source: "Microsoft Entra client secrets (…Q~…); gitleaks azure-ad-client-secret",
                     #"(?<![\w~.])[\w~.]{3}\dQ~[\w~.\-]{31,34}"#, literals: ["q~"], example: SecretExample("{a3}8Q~{a34}")),
        SecretFormat("azure-storage-key", .cloud,
                     source: "Azure Storage / Service Bus connection strings (AccountKey=, SharedAccessKey=, SharedAccessSignature=)",
                     #"(?i)\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=(?<secret>[A-Za-z0-9+/=%&:\-]{20,})"#,
                     literals: ["accountkey=", "sharedaccesskey=", "sharedaccesssignature="],
                     example: SecretExample(before: "DefaultEndpointsProtocol=https;AccountName=kglab;AccountKey=", "{b86}==", after: ";EndpointSuffix=core.windows.net")),
        SecretFormat("azure-sas-signature", .cloud, source: "Azure shared access signatures (sig= query parameter)",
                     #"[?&]sig=(?<secret>[A-Za-z0-9%+/=]{16,})"#, literals: ["sig="],
                     example: SecretExample(before: "https://kglab.blob.core.windows.net/releases/app.tgz?sv=2022-11-02&sp=r&sig=", "{b43}%3D")),
        SecretFormat("digitalocean-token", .cloud, source: "DigitalOcean tokens (dop_v1_, doo_v1_, dor_v1_); gitleaks digitalocean-*",
                     #"\bdo[opr]_v1_[a-f0-9]{64}"#, literals: ["_v1_"], example: SecretExample("dop_v1_{x64}")),
        SecretFormat("alibaba-access-key-id", .cloud, source: "Alibaba Cloud AccessKey IDs (LTAI…); gitleaks alibaba-access-key-id",
                     #"\bLTAI[A-Za-z0-9]{20}"#, literals: ["ltai"], example: SecretExample("LTAI{a20}")),
        SecretFormat("heroku-api-key", .cloud, source: "Heroku API keys (HRKU-); gitleaks heroku-api-key-v2",
                     #"\bHRKU-[\w\-]{58,}"#, literals: ["hrku-"], example: SecretExample("HRKU-AA{u58}")),
        SecretFormat("vault-token", .cloud, source: "HashiCorp Vault tokens (hvs., hvb., hvr.); gitleaks vault-service-token",
                     #"\bhv[sbr]\.[\w\-]{24,}"#, literals: ["hvs.", "hvb.", "hvr."], example: SecretExample("hvs.{u95}")),
        SecretFormat("terraform-cloud-token", .cloud, source: "HCP Terraform API tokens (….atlasv1.…); gitleaks hashicorp-tf-api-token",
                     #"\b[A-Za-z0-9]{14}\.atlasv1\.[\w=\-]{60,}"#, literals: ["atlasv1"], example: SecretExample("{a14}.atlasv1.{u67}")),
        SecretFormat("databricks-token", .cloud, source: "Databricks personal access tokens (dapi); gitleaks databricks-api-token",
                     #"\bdapi[a-f0-9]{32}(?:-\d)?"#, literals: ["dapi"], example: SecretExample("dapi{x32}")),
        SecretFormat("doppler-token", .cloud, source: "Doppler tokens (dp.pt., dp.st., …); gitleaks doppler-api-token",
                     #"\bdp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,}"#, literals: ["dp."], example: SecretExample("dp.pt.{a43}")),
        SecretFormat("pulumi-token", .cloud, source: "Pulumi access tokens (pul-); gitleaks pulumi-api-token",
                     #"\bpul-[a-f0-9]{40}"#, literals: ["pul-"], example: SecretExample("pul-{x40}")),
        SecretFormat("grafana-token", .cloud, source: "Grafana Cloud (glc_) and service account (glsa_) tokens; gitleaks grafana-*",
                     #"\bglc_[A-Za-z0-9+/]{32,}={0,2}|\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"#, literals: ["glc_", "glsa_"],
                     example: SecretExample("glsa_{a32}_{x8}")),
        SecretFormat("flyio-token", .cloud, source: "Fly.io tokens (fo1_, fm1a_, fm2_); gitleaks flyio-access-token",
                     #"\b(?:fo1_[\w\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})"#, literals: ["fo1_", "fm1", "fm2_"],
                     example: SecretExample("fo1_{u43}")),
        SecretFormat("supabase-token", .cloud, source: "Supabase personal access tokens (sbp_); GitHub supabase_personal_access_token",
                     #"\bsbp_[a-f0-9]{40}"#, literals: ["sbp_"], example: SecretExample("sbp_{x40}")),
        SecretFormat("openshift-token", .cloud, source: "OpenShift user tokens (sha256~); gitleaks openshift-user-token",
                     #"\bsha256~[\w\-]{43}"#, literals: ["sha256~"], example: SecretExample("sha256~{u43}")),

        // MARK: Version control
        SecretFormat("github-token", .vcs, source: "GitHub token formats (ghp_, gho_, ghu_, ghs_, ghr_); gitleaks github-*",
                     #"\bgh[pousr]_[A-Za-z0-9]{30,}"#, literals: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], example: SecretExample("ghp_{a36}")),
        SecretFormat("github-fine-grained-pat", .vcs, source: "GitHub fine-grained personal access tokens (github_pat_); gitleaks github-fine-grained-pat",
                     #"github_pat_\w{22,}"#, literals: ["github_pat_"], example: SecretExample("github_pat_11{U20}_{a59}")),
        SecretFormat("gitlab-pat", .vcs, source: "GitLab personal access tokens (glpat-, also routable); gitleaks gitlab-pat",
                     #"glpat-[\w.\-]{20,}"#, literals: ["glpat-"], example: SecretExample("glpat-{u20}")),
        SecretFormat("gitlab-token", .vcs,
                     source: "GitLab token prefixes (gldt-, glrt-, glcbt-, glptt-, glft-, glimt-, glagent-, gloas-, glsoat-, glffct-); GitLab docs, token overview",
                     #"\bgl(?:cbt|dt|ptt|ft|imt|agent|oas|rt|soat|ffct)-[\w.\-]{16,}"#,
                     literals: ["glcbt-", "gldt-", "glptt-", "glft-", "glimt-", "glagent-", "gloas-", "glrt-", "glsoat-", "glffct-"],
                     example: SecretExample("gldt-{u20}")),
        SecretFormat("gitlab-runner-registration-token", .vcs, source: "GitLab runner registration tokens (GR1348941); gitleaks gitlab-rrt",
                     #"\bGR1348941[\w\-]{20}"#, literals: ["gr1348941"], example: SecretExample("GR1348941{u20}")),
        SecretFormat("gitlab-session-cookie", .vcs, source: "GitLab session cookies; gitleaks gitlab-session-cookie",
                     #"_gitlab_session=(?<secret>[0-9a-z]{32})"#, literals: ["_gitlab_session="],
                     example: SecretExample(before: "Cookie: _gitlab_session=", "{x32}")),
        SecretFormat("bitbucket-app-password", .vcs, source: "Bitbucket app passwords and access tokens (ATBB, ATCTT3); Atlassian docs",
                     #"\bATBB[\w=.\-]{28,}|\bATCTT3[\w=\-]{100,}"#, literals: ["atbb", "atctt3"], example: SecretExample("ATBB{a32}")),

        // MARK: Package registries
        SecretFormat("npm-token", .registry, source: "npm access tokens (npm_); gitleaks npm-access-token",
                     #"\bnpm_[A-Za-z0-9]{36}"#, literals: ["npm_"], example: SecretExample("npm_{a36}")),
        SecretFormat("pypi-token", .registry, source: "PyPI API tokens (pypi- macaroons); gitleaks pypi-upload-token",
                     #"\bpypi-[\w\-]{40,}"#, literals: ["pypi-"], example: SecretExample("pypi-AgEIcHlwaS5vcmc{u70}")),
        SecretFormat("docker-hub-token", .registry, source: "Docker Hub personal and organisation access tokens (dckr_pat_, dckr_oat_); GitHub docker_personal_access_token",
                     #"\bdckr_(?:pat|oat)_[\w\-]{27,}"#, literals: ["dckr_"], example: SecretExample("dckr_pat_{u27}")),
        SecretFormat("nuget-api-key", .registry, source: "NuGet.org API keys (oy2); GitHub nuget_api_key",
                     #"\boy2[a-z0-9]{43}"#, literals: ["oy2"], example: SecretExample("oy2{L43}")),
        SecretFormat("rubygems-token", .registry, source: "RubyGems API keys (rubygems_); gitleaks rubygems-api-token",
                     #"\brubygems_[a-f0-9]{48}"#, literals: ["rubygems_"], example: SecretExample("rubygems_{x48}")),
        SecretFormat("crates-io-token", .registry, source: "crates.io API tokens (cio); GitHub crates.io api token",
                     #"\bcio[A-Za-z0-9]{32}\b"#, literals: ["cio"], example: SecretExample("cio{a32}")),
        SecretFormat("artifactory-token", .registry, source: "JFrog Artifactory API keys (AKCp) and reference tokens (cmVmd); gitleaks artifactory-*",
                     #"\bAKCp[A-Za-z0-9]{69}|\bcmVmd[A-Za-z0-9]{59}"#, literals: ["akcp", "cmvmd"], example: SecretExample("AKCp{a69}")),
        SecretFormat("clojars-token", .registry, source: "Clojars deploy tokens (CLOJARS_); gitleaks clojars-api-token",
                     #"(?i)\bCLOJARS_[a-z0-9]{60}"#, literals: ["clojars_"], example: SecretExample("CLOJARS_{L60}")),

        // MARK: Chat
        SecretFormat("slack-token", .chat, source: "Slack bot, user, app-config and legacy tokens (xoxb-, xoxp-, xoxe-, …); gitleaks slack-*",
                     #"\bxox[abposre]-[A-Za-z0-9\-]{10,}|\bxoxe\.xox[bp]-[A-Za-z0-9\-]{10,}"#, literals: ["xox"],
                     example: SecretExample("xoxb-{d12}-{d13}-{a24}")),
        SecretFormat("slack-app-token", .chat, source: "Slack app-level tokens (xapp-); gitleaks slack-app-token",
                     #"(?i)\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+"#, literals: ["xapp-"], example: SecretExample("xapp-1-A{U10}-{d13}-{x64}")),
        SecretFormat("slack-webhook", .chat, source: "Slack incoming webhooks (hooks.slack.com/services/…); gitleaks slack-webhook-url",
                     #"hooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9+/_\-]{20,})"#, literals: ["hooks.slack.com"],
                     example: SecretExample(before: "https://hooks.slack.com/services/", "T{U10}/B{U10}/{a24}")),
        SecretFormat("discord-webhook", .chat, source: "Discord webhooks (discord.com/api/webhooks/ID/TOKEN)",
                     #"discord(?:app)?\.com/api/webhooks/(?<secret>\d+/[\w\-]{20,})"#, literals: ["discord"],
                     example: SecretExample(before: "https://discord.com/api/webhooks/", "{d18}/{u68}")),
        SecretFormat("telegram-bot-token", .chat, source: "Telegram Bot API tokens (ID:AA…, also inside api.telegram.org/botID:AA… URLs); gitleaks telegram-bot-api-token",
                     #"(?<!\d)\d{8,10}:AA[\w\-]{33}"#, literals: [":aa"], example: SecretExample("{d10}:AA{u33}")),
        SecretFormat("teams-webhook", .chat, source: "Microsoft Teams incoming webhooks (webhook.office.com/webhookb2/); gitleaks microsoft-teams-webhook",
                     #"(?i)(?:webhook\.office\.com/webhookb2|outlook\.office\.com/webhook)/(?<secret>[^\s"'<>]{20,})"#,
                     literals: ["webhook.office.com", "outlook.office.com"],
                     example: SecretExample(before: "https://kglab.webhook.office.com/webhookb2/",
                                            "{x8}-{x4}-{x4}-{x4}-{x12}@{x8}-{x4}-{x4}-{x4}-{x12}/IncomingWebhook/{x32}/{x8}-{x4}-{x4}-{x4}-{x12}")),

        // MARK: Payment
        SecretFormat("stripe-key", .payment, source: "Stripe secret and restricted keys (sk_live_, rk_live_, …) and webhook secrets (whsec_); gitleaks stripe-access-token",
                     #"\b(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,}|\bwhsec_[A-Za-z0-9+/=]{32,}"#,
                     literals: ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_", "whsec_"],
                     example: SecretExample("sk_live_{a24}")),
        SecretFormat("square-token", .payment, source: "Square access tokens and OAuth secrets (sq0atp-, sq0csp-, EAAA); gitleaks square-access-token",
                     #"\bsq0(?:atp|csp)-[\w\-]{22,}|\bEAAA[\w\-]{60}"#, literals: ["sq0atp-", "sq0csp-", "eaaa"],
                     example: SecretExample("sq0atp-{u22}")),
        SecretFormat("braintree-token", .payment, source: "PayPal Braintree access tokens (access_token$production$…); GitHub paypal_braintree_access_token",
                     #"access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}"#, literals: ["access_token$"],
                     example: SecretExample("access_token$production${L16}${x32}")),
        SecretFormat("shopify-token", .payment, source: "Shopify access tokens and shared secrets (shpat_, shpca_, shppa_, shpss_); gitleaks shopify-*",
                     #"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"#, literals: ["shpat_", "shpca_", "shppa_", "shpss_"],
                     example: SecretExample("shpat_{x32}")),
        SecretFormat("plaid-token", .payment, source: "Plaid access tokens (access-production-…); gitleaks plaid-api-token",
                     #"\baccess-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#,
                     literals: ["access-sandbox-", "access-development-", "access-production-"],
                     example: SecretExample("access-production-{x8}-{x4}-{x4}-{x4}-{x12}")),
        SecretFormat("flutterwave-key", .payment, source: "Flutterwave secret keys (FLWSECK); gitleaks flutterwave-*",
                     #"(?i)\bFLWSECK(?:_TEST)?-[a-h0-9]{12,32}(?:-X)?"#, literals: ["flwseck"], example: SecretExample("FLWSECK-{x32}-X")),

        // MARK: SaaS and AI services
        SecretFormat("sendgrid-key", .saas, source: "SendGrid API keys (SG.); gitleaks sendgrid-api-token",
                     #"\bSG\.[\w\-]{22}\.[\w\-]{43}"#, literals: ["sg."], example: SecretExample("SG.{u22}.{u43}")),
        SecretFormat("twilio-key", .saas, source: "Twilio API keys (SK + 32 hex); gitleaks twilio-api-key",
                     #"\bSK[0-9a-fA-F]{32}\b"#, literals: ["sk"], example: SecretExample("SK{x32}")),
        SecretFormat("mailgun-key", .saas, source: "Mailgun private API keys (key-); gitleaks mailgun-private-api-token",
                     #"\bkey-[0-9a-f]{32}\b"#, literals: ["key-"], example: SecretExample("key-{x32}")),
        SecretFormat("mailchimp-key", .saas, source: "Mailchimp API keys (32 hex + -usN); gitleaks mailchimp-api-key",
                     #"\b[0-9a-f]{32}-us\d{1,2}\b"#, literals: ["-us"], example: SecretExample("{x32}-us14")),
        SecretFormat("brevo-key", .saas, source: "Brevo (Sendinblue) API keys (xkeysib-); gitleaks sendinblue-api-token",
                     #"\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}"#, literals: ["xkeysib-"], example: SecretExample("xkeysib-{x64}-{a16}")),
        SecretFormat("sentry-token", .saas, source: "Sentry organisation and user auth tokens (sntrys_, sntryu_); gitleaks sentry-*",
                     #"\bsntry[su]_[A-Za-z0-9+/=_]{40,}"#, literals: ["sntrys_", "sntryu_"], example: SecretExample("sntryu_{x64}")),
        SecretFormat("sentry-dsn", .saas, source: "Sentry DSNs (https://KEY@o….ingest.sentry.io/…), Sentry docs",
                     #"(?i)https?://(?<secret>[a-f0-9]{32}(?::[a-f0-9]{32})?)@[\w.\-]*sentry"#, literals: ["sentry"],
                     example: SecretExample(before: "https://", "{x32}", after: "@o450123.ingest.sentry.io/4501234")),
        SecretFormat("datadog-key", .saas, source: "Datadog API (32 hex) and application (40 hex) keys, by their variable names; gitleaks datadog-access-token",
                     #"(?i)(?:dd|datadog)[\w.\-]{0,20}?(?:api|app|application)[_.\-]?key["']?[ \t]*[=:][ \t]*["']?(?<secret>[a-f0-9]{32,40})"#,
                     literals: ["dd_", "dd-", "datadog"], example: SecretExample(before: "DD_API_KEY=", "{x32}")),
        SecretFormat("new-relic-key", .saas, source: "New Relic user, browser, insert and license keys (NRAK-, NRJS-, NRII-, …NRAL); gitleaks new-relic-*",
                     #"\bNRAK-[A-Z0-9]{27}|\bNRJS-[a-f0-9]{19}|\bNRII-[\w\-]{32}|\b[a-f0-9]{36}NRAL\b"#,
                     literals: ["nrak-", "nrjs-", "nrii-", "nral"], example: SecretExample("NRAK-{U27}")),
        SecretFormat("atlassian-token", .saas, source: "Atlassian API tokens (ATATT3); gitleaks atlassian-api-token",
                     #"\bATATT3[\w=\-]{100,}"#, literals: ["atatt3"], example: SecretExample("ATATT3xFfGF0{u170}={x8}")),
        SecretFormat("linear-key", .saas, source: "Linear API keys and OAuth tokens (lin_api_, lin_oauth_); gitleaks linear-api-key",
                     #"\blin_(?:api|oauth)_[A-Za-z0-9]{40,}"#, literals: ["lin_api_", "lin_oauth_"], example: SecretExample("lin_api_{a40}")),
        SecretFormat("openai-key", .saas, source: "OpenAI API keys (sk-proj-, sk-svcacct-, sk-…T3BlbkFJ…); gitleaks openai-api-key",
                     #"\bsk-(?:(?:proj|svcacct|admin)-[\w\-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}\b)"#,
                     literals: ["sk-"], example: SecretExample("sk-proj-{u74}T3BlbkFJ{u74}")),
        SecretFormat("anthropic-key", .saas, source: "Anthropic API and admin keys (sk-ant-api03-, sk-ant-admin01-); gitleaks anthropic-*",
                     #"\bsk-ant-[a-z]{3,6}\d{2}-[\w\-]{80,}"#, literals: ["sk-ant-"], example: SecretExample("sk-ant-api03-{u93}AA")),
        SecretFormat("huggingface-token", .saas, source: "Hugging Face user and organisation tokens (hf_, api_org_); gitleaks huggingface-*",
                     #"\b(?:hf|api_org)_[A-Za-z0-9]{30,}"#, literals: ["hf_", "api_org_"], example: SecretExample("hf_{a34}")),
        SecretFormat("postman-key", .saas, source: "Postman API keys (PMAK-); gitleaks postman-api-token",
                     #"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}"#, literals: ["pmak-"], example: SecretExample("PMAK-{x24}-{x34}")),
        SecretFormat("replicate-token", .saas, source: "Replicate API tokens (r8_); GitHub replicate_api_token",
                     #"\br8_[A-Za-z0-9]{37}"#, literals: ["r8_"], example: SecretExample("r8_{a37}")),
        SecretFormat("groq-key", .saas, source: "Groq API keys (gsk_); GitHub groq_api_key",
                     #"\bgsk_[A-Za-z0-9]{52}"#, literals: ["gsk_"], example: SecretExample("gsk_{a52}")),
        SecretFormat("perplexity-key", .saas, source: "Perplexity API keys (pplx-); gitleaks perplexity-api-key",
                     #"\bpplx-[A-Za-z0-9]{48}"#, literals: ["pplx-"], example: SecretExample("pplx-{a48}")),
        SecretFormat("notion-token", .saas, source: "Notion integration tokens (secret_, ntn_); gitleaks notion-api-token",
                     #"\bsecret_[A-Za-z0-9]{43}\b|\bntn_\d{11}[A-Za-z0-9]{35}"#, literals: ["secret_", "ntn_"], example: SecretExample("ntn_{d11}{a35}")),
        SecretFormat("airtable-token", .saas, source: "Airtable personal access tokens (pat….); GitHub airtable_personal_access_token",
                     #"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}"#, literals: ["pat"], example: SecretExample("pat{a14}.{x64}")),
        SecretFormat("dynatrace-token", .saas, source: "Dynatrace API tokens (dt0c01.); gitleaks dynatrace-api-token",
                     #"\bdt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}"#, literals: ["dt0c01."], example: SecretExample("dt0c01.{U24}.{a64}")),
        SecretFormat("sonarqube-token", .saas, source: "SonarQube/SonarCloud tokens (squ_, sqp_, sqa_); SonarQube docs",
                     #"\bsq[upa]_[a-f0-9]{40}"#, literals: ["squ_", "sqp_", "sqa_"], example: SecretExample("sqp_{x40}")),
        SecretFormat("buildkite-token", .saas, source: "Buildkite user access tokens (bkua_); GitHub buildkite_user_access_token",
                     #"\bbkua_[a-f0-9]{40}"#, literals: ["bkua_"], example: SecretExample("bkua_{x40}")),
        SecretFormat("circleci-token", .saas, source: "CircleCI personal tokens (CCIPAT_); GitHub circleci_personal_token",
                     #"\bCCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}"#, literals: ["ccipat_"], example: SecretExample("CCIPAT_{a22}_{x40}")),
        SecretFormat("planetscale-token", .saas, source: "PlanetScale tokens and passwords (pscale_tkn_, pscale_pw_, pscale_oauth_); gitleaks planetscale-*",
                     #"\bpscale_(?:tkn|pw|oauth)_[\w=.\-]{32,}"#, literals: ["pscale_"], example: SecretExample("pscale_pw_{u43}")),
        SecretFormat("prefect-token", .saas, source: "Prefect API keys (pnu_); gitleaks prefect-api-token",
                     #"\bpnu_[A-Za-z0-9]{36}"#, literals: ["pnu_"], example: SecretExample("pnu_{a36}")),
        SecretFormat("age-secret-key", .saas, source: "age encryption secret keys (AGE-SECRET-KEY-1); gitleaks age-secret-key",
                     #"AGE-SECRET-KEY-1[0-9A-Z]{58}"#, literals: ["age-secret-key-1"], example: SecretExample("AGE-SECRET-KEY-1{U58}")),
        SecretFormat("contentful-token", .saas, source: "Contentful personal access tokens (CFPAT-); GitHub contentful_personal_access_token",
                     #"\bCFPAT-[\w\-]{43}"#, literals: ["cfpat-"], example: SecretExample("CFPAT-{u43}")),
        SecretFormat("mapbox-secret-token", .saas, source: "Mapbox secret tokens (sk.eyJ…); GitHub mapbox_secret_access_token",
                     #"\bsk\.eyJ[\w\-]{20,}\.[\w\-]{20,}"#, literals: ["sk.eyj"], example: SecretExample("sk.eyJ{u60}.{u22}")),
        SecretFormat("infracost-key", .saas, source: "Infracost API keys (ico-); gitleaks infracost-api-token",
                     #"\bico-[A-Za-z0-9]{32}"#, literals: ["ico-"], example: SecretExample("ico-{a32}")),

        // MARK: Token and key formats of no single provider
        SecretFormat("jwt", .token, source: "JSON Web Tokens (RFC 7519: base64url header.payload.signature); gitleaks jwt",
                     #"\beyJ[\w\-]{8,}\.[\w\-]{8,}\.[\w\-]*"#, literals: ["eyj"], example: SecretExample("eyJ{u30}.eyJ{u80}.{u43}")),
        SecretFormat("authorization-header", .token, source: "HTTP Authorization and Proxy-Authorization headers (RFC 9110), any scheme",
                     #"(?i)\b(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token|bot|digest|apikey|sso-key|key|negotiate)[ \t]+)?(?<secret>[\w.~+/=\-]{8,})|\bbearer[ \t]+(?<secret2>[\w.~+/=\-]{12,})"#,
                     literals: ["authorization", "bearer"],
                     example: SecretExample(before: "Authorization: Bearer ", "{u40}")),
        SecretFormat("url-credentials", .url, source: "Passwords in URLs (RFC 3986 userinfo user:password@host)",
                     #"://[^/\s:@"'<>]*:(?<secret>[^@\s/"'<>]+)@(?!sha256:)"#, literals: ["://"],
                     example: SecretExample(before: "https://deploy:", "{a20}", after: "@registry.example.com/v2/")),
        SecretFormat("private-key", .privateKey,
                     source: "PEM, OpenSSH and PGP private keys (RFC 7468 -----BEGIN … PRIVATE KEY-----); gitleaks private-key",
                     #"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----BEGIN)[\s\S])*?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\\[rn]|\r?\n)[ \t]*(?:[A-Za-z0-9+/=]{2,}|(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset): [^\n\\]*)[ \t]*(?=\\[rn]|\r?\n|"|$))*+)"#,
                     literals: ["private key"],
                     example: SecretExample("-----BEGIN OPENSSH PRIVATE KEY-----\n{b70}\n{b70}\n{b70}\n{b30}==\n-----END OPENSSH PRIVATE KEY-----")),

        // MARK: Command lines
        SecretFormat("login-password", .commandLine, source: "`docker/podman/helm/… login -p|--password VALUE` and `-u USER -p VALUE` (Docker CLI reference)",
                     #"(?i)\blogin\b.{0,200}?[ \t](?:-p|--password)(?:[ \t]+|=)["']?(?<secret>[^\s'"]+)|(?:^|[ \t])-u[ \t]*\S+[ \t]+-p[ \t]*["']?(?<secret2>[^\s'"]+)"#,
                     literals: ["login", "-u "], check: .value,
                     example: SecretExample(before: "docker login -u deploy -p ", "{a16}", after: " registry.example.com")),
        SecretFormat("mysql-password", .commandLine, source: "MySQL client `-pPASSWORD` (MySQL reference manual, --password)",
                     #"\bmysql(?:dump|admin|sh)?\b.{0,200}?[ \t]-p(?<secret>[^\s'"]+)"#, literals: ["mysql"], check: .value,
                     example: SecretExample(before: "mysql -h db -u root -p", "{a16}", after: " app < schema.sql")),
        SecretFormat("curl-user", .commandLine, source: "curl -u/--user USER:PASSWORD (curl manual); gitleaks curl-auth-user",
                     #"\bcurl\b.{0,300}?[ \t](?:-u|--user)(?:[ \t]+|=)["']?[^\s:"']+:(?<secret>[^\s"']+)"#, literals: ["curl"], check: .value,
                     example: SecretExample(before: "curl -fsS -u deploy:", "{a18}", after: " https://nexus.example.com/repository/raw/")),
        SecretFormat("sshpass-password", .commandLine, source: "sshpass -p PASSWORD (sshpass manual)",
                     #"\bsshpass\b.{0,100}?[ \t]-p[ \t]*["']?(?<secret>[^\s"']+)"#, literals: ["sshpass"], check: .value,
                     example: SecretExample(before: "sshpass -p ", "{a16}", after: " ssh deploy@10.20.3.14")),
        SecretFormat("openssl-pass", .commandLine, source: "OpenSSL pass phrase arguments (-passin/-passout/-pass pass:…), openssl-passphrase-options(1)",
                     #"(?i)-pass(?:in|out)?[ \t]+pass:(?<secret>[^\s"']+)"#, literals: ["-pass"], check: .value,
                     example: SecretExample(before: "openssl pkcs12 -export -in cert.pem -passout pass:", "{a16}")),
        SecretFormat("github-add-mask", .commandLine, source: "GitHub Actions workflow command ::add-mask:: (its value is a secret by definition)",
                     #"::add-mask::(?<secret>[^\r\n]+)"#, literals: ["::add-mask::"], check: .value,
                     example: SecretExample(before: "::add-mask::", "{a24}")),
        SecretFormat("gh-secret-set", .commandLine, source: "`gh secret set NAME --body VALUE` (GitHub CLI manual)",
                     #"(?i)\bsecret[ \t]+set\b.{0,200}?[ \t](?:-b|--body)(?:[ \t]+|=)["']?(?<secret>[^\s"']+)"#, literals: ["secret"], check: .value,
                     example: SecretExample(before: "gh secret set DEPLOY_KEY --body ", "{a32}")),
        SecretFormat("netrc-password", .commandLine, source: ".netrc `machine … login … password VALUE` (GNU inetutils ftp manual, The .netrc file)",
                     #"(?im)(?:\b(?:machine|default|login)\b[^\n]{0,200}?\bpassword|^[ \t]*password(?=[ \t]+\S+[ \t]*$))[ \t]+["']?(?<secret>[^\s"']+)"#,
                     literals: ["password"], check: .value,
                     example: SecretExample(before: "machine api.heroku.com login deploy@example.com password ", "{a32}")),
        SecretFormat("secret-flag", .commandLine, source: "Command-line flags that take a secret (`--api-key X`, `--token X`, `-storepass X`)",
                     #"(?i)(?<!\S)-{1,2}(?<name>[\w.\-]{0,40}?(?:password|passwd|passphrase|pass|pwd|token|secret|key|credentials?|auth))[ \t]+["']?(?<secret>[^\s"'\-][^\s"']*)"#,
                     literals: ["pass", "pwd", "token", "secret", "key", "credential", "auth"], requires: "-", check: .flag,
                     example: SecretExample(before: "npx semantic-release --npm-token ", "{a36}", after: " --dry-run")),

        // MARK: Assignments
        SecretFormat("assignment-equals", .assignment, source: "`NAME=value`, `NAME = \"value\"`, `--name=value`, `?name=value` (env dumps, .env, .npmrc, .pypirc, query strings); gitleaks generic-api-key",
                     #"(?i)(?<![\w.\-])"# + name + #"["']?[ \t]{0,3}(?:=>|:=|=)(?!=)[ \t]{0,3}"# + value,
                     literals: nameLiterals, requires: "=", check: .assignment,
                     example: SecretExample(before: "aws_secret_access_key=", "{a40}")),
        SecretFormat("assignment-colon", .assignment, source: "`NAME: value`, `\"name\": \"value\"` (YAML, JSON, HTTP headers)",
                     #"(?i)(?<![\w.\-])(?<quote>["']?)"# + name + #"\k<quote>[ \t]{0,3}:(?!:)(?:[ \t]{1,3}|(?=["']))"# + value,
                     literals: nameLiterals, requires: ":", check: .colonAssignment,
                     example: SecretExample(before: "    \"client_secret\": \"", "{a32}", after: "\",")),
        SecretFormat("assignment-set-command", .assignment, source: "`aws configure set NAME VALUE`, `npm|yarn|git|poetry config [set] NAME VALUE`, `set -x NAME VALUE`, `setenv NAME VALUE`",
                     #"(?i)\b(?:set|setenv|config(?::set)?)[ \t]+(?:-{1,2}[\w\-]+[ \t]+){0,6}(?:[^\s="']{0,200}[/:])?"# + name + #"[ \t]+(?!-)"# + value,
                     literals: ["set", "config"], check: .assignment,
                     example: SecretExample(before: "aws configure set aws_secret_access_key ", "{b40}")),
        SecretFormat("assignment-xml", .assignment, source: "XML elements such as Maven settings.xml `<password>VALUE</password>`",
                     #"(?i)<"# + name + #">(?<secret>[^<\s][^<\n]{0,300}?)</\k<name>>"#, literals: nameLiterals, requires: "</>",
                     check: .assignment,
                     example: SecretExample(before: "<server><id>releases</id><username>deploy</username><password>", "{a20}", after: "</password></server>")),
        SecretFormat("assignment-key-value-attribute", .assignment, source: "`<add key=\"ClearTextPassword\" value=\"…\" />` (NuGet.config, .NET appSettings); gitleaks nuget-config-password",
                     #"(?i)\bkey[ \t]*=[ \t]*"(?<name>[^"\n]{1,60})"[ \t]+value[ \t]*=[ \t]*"(?<secret>[^"\n]+)""#, literals: ["key"], requires: "=\"",
                     check: .assignment,
                     example: SecretExample(before: "<add key=\"ClearTextPassword\" value=\"", "{a20}", after: "\" />")),
        SecretFormat("assignment-spaced-name", .assignment, source: "Two-word names in messages: `API key: …`, `access token = …`, `DB password is …`",
                     #"(?i)\b(?<name>(?:api|secret|private|access|auth|master|license|signing|encryption|client|app|deploy|bot|refresh|session|bearer|personal access|registration|runner|service account|webhook|integration|admin|root|db|database|smtp|vault|account)[ \t](?:key|token|secret|password|passphrase|passwd))[ \t]{0,3}(?::|=|\bis\b)[ \t]{0,3}"# + value,
                     literals: ["key", "token", "secret", "pass"], check: .value,
                     example: SecretExample(before: "Using API key: ", "{a32}")),
    ]
}
