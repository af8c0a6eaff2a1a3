package io.secureworkload.operator.testsupport.faults;

import java.util.List;
import java.util.Map;

/** An HTTP answer the proxy sends back (moto's, or an injected error), or the EKS double's. */
public record Answer(int status, Map<String, List<String>> headers, byte[] body) {}
