// cdktf's jest matchers (toHaveResourceWithProperties…), imported by the test files that use them: loading cdktf
// costs about half a second of CPU per test file, which the files that do not need it should not pay.
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
