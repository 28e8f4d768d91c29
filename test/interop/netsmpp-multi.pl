#!/usr/bin/perl
# A customer's application played by Net::SMPP (Debian's libnet-smpp-perl) using submit_multi and
# data_sm. It binds as a transceiver, sends a submit_multi to two numbers, an invalid one and a
# distribution list, then a data_sm with its text (ASCII) in message_payload, all asking for receipts;
# answers every deliver_sm, and once it has three receipts unbinds. It prints what it gets as
# JSON lines for the test to check.
# Usage: netsmpp-multi.pl <port> <system_id> <password> <destination> <second destination>
use strict;
use warnings;
use Net::SMPP;

$| = 1;
my ($port, $system_id, $password, $dest, $second) = @ARGV;
my $smpp = Net::SMPP->new_transceiver('127.0.0.1', port => $port, system_id => $system_id, password => $password, smpp_version => 0x34)
  or die "cannot bind: $!";

my %label;
$label{$smpp->submit_multi(
  source_addr => 'Perl', registered_delivery => 1, async => 1, short_message => 'To several',
  dest_flag => [1, 1, 2, 1], dest_addr_ton => [1, 1, 0, 1], dest_addr_npi => [1, 1, 0, 1], destination_addr => [$dest, '12', 'staff', $second],
)} = 'multi';
$label{$smpp->data_sm(
  source_addr => 'Perl', dest_addr_ton => 1, destination_addr => $dest, registered_delivery => 1, data_coding => 1, async => 1,
  message_payload => 'Sent with data_sm, ' x 12,
)} = 'data';

my ($answers, $receipts) = (0, 0);
while ($answers < 2 || $receipts < 3) {
  my $pdu = $smpp->read_pdu() or die "connection lost";
  if ($pdu->{cmd} == Net::SMPP::CMD_submit_multi_resp) {
    my @unsuccess = map { sprintf '["%s",%d]', $pdu->{destination_addr}[$_], $pdu->{error_status_code}[$_] } 0 .. ($pdu->{no_unsuccess} // 0) - 1;
    printf qq({"event":"multi_resp","label":"%s","status":%d,"id":"%s","unsuccess":[%s]}\n), $label{$pdu->{seq}}, $pdu->{status}, $pdu->{message_id} // '', join(',', @unsuccess);
    $answers++;
  } elsif ($pdu->{cmd} == Net::SMPP::CMD_data_sm_resp) {
    printf qq({"event":"data_resp","label":"%s","status":%d,"id":"%s"}\n), $label{$pdu->{seq}}, $pdu->{status}, $pdu->{message_id} // '';
    $answers++;
  } elsif ($pdu->{cmd} == Net::SMPP::CMD_deliver_sm) {
    $smpp->deliver_sm_resp(seq => $pdu->{seq}, message_id => '');
    $receipts++;
    (my $receipted = $pdu->{receipted_message_id} // '') =~ s/\0//g;
    printf qq({"event":"deliver","source_addr":"%s","receipted_message_id":"%s","text":"%s"}\n), $pdu->{source_addr}, $receipted, $pdu->{short_message};
  }
}
$smpp->unbind();
print qq({"event":"unbound"}\n);
