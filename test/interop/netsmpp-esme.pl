#!/usr/bin/perl
# A customer's application played by Net::SMPP (Debian's libnet-smpp-perl), an SMPP client
# written independently of Switchboard. It binds as a transceiver, submits a GSM 7-bit message,
# a UCS-2 one and a long message in two UDH parts (the second first), all asking for receipts,
# answers every deliver_sm, and once it has three receipts queries the first message and unbinds.
# It prints what it gets as JSON lines for the test to check.
# Usage: netsmpp-esme.pl <port> <system_id> <password> <destination>
use strict;
use warnings;
use Net::SMPP;

$| = 1;
my ($port, $system_id, $password, $dest) = @ARGV;
my $smpp = Net::SMPP->new_transceiver('127.0.0.1', port => $port, system_id => $system_id, password => $password, smpp_version => 0x34)
  or die "cannot bind: $!";
print qq({"event":"bound"}\n);

my %common = (source_addr => 'Perl', destination_addr => $dest, dest_addr_ton => 1, registered_delivery => 1, async => 1);
# Every submit is sent without waiting: answers and receipts are read as they come, in one loop.
my %label;
$label{$smpp->submit_sm(%common, data_coding => 0, short_message => "Hello from Perl")} = 'gsm';
$label{$smpp->submit_sm(%common, data_coding => 8, short_message => pack('n*', 0x041F, 0x0440, 0x0438, 0x0432, 0x0435, 0x0442))} = 'ucs2';
# A long message's parts, the second first: the server answers them together once the message is whole.
my @parts = ("second half.", "First half, then the ");
for my $i (0, 1) {
  $label{$smpp->submit_sm(%common, esm_class => 0x40, data_coding => 0, short_message => pack('C6', 5, 0, 3, 0x2A, 2, 2 - $i) . $parts[$i])} = 'long';
}
my ($answers, $receipts, $first) = (0, 0, undef);
while ($answers < 4 || $receipts < 3) {
  my $pdu = $smpp->read_pdu() or die "connection lost";
  if ($pdu->{cmd} == Net::SMPP::CMD_submit_sm_resp) {
    my $label = $label{$pdu->{seq}};
    $first = $pdu->{message_id} if $label eq 'gsm';
    printf qq({"event":"submit_resp","label":"%s","status":%d,"id":"%s"}\n), $label, $pdu->{status}, $pdu->{message_id} // '';
    $answers++;
  } elsif ($pdu->{cmd} == Net::SMPP::CMD_deliver_sm) {
    $smpp->deliver_sm_resp(seq => $pdu->{seq}, message_id => '');
    $receipts++;
    my $text = $pdu->{short_message};
    $text =~ s/["\\]/ /g;
    printf qq({"event":"deliver","esm_class":%d,"text":"%s"}\n), $pdu->{esm_class}, $text;
  }
}
my $query = $smpp->query_sm(message_id => $first, source_addr => 'Perl');
printf qq({"event":"query_resp","status":%d,"message_state":%d}\n), $query->{status}, $query->{message_state} // -1;
$smpp->unbind();
print qq({"event":"unbound"}\n);
