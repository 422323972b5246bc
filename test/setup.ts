// Registers cdktf's jest matchers (toHaveResourceWithProperties…) for the binding tests.
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
